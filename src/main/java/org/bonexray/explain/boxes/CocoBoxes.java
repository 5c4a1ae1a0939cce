package org.bonexray.explain.boxes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.data.DataException;
import org.bonexray.io.Json;

/**
 * A COCO json file's boxes: {@code images[{id,file_name,width,height}]} names the images,
 * {@code annotations[{image_id,bbox:[x,y,w,h]}]} gives boxes in pixels (floats; the right edge is {@code x+w}).
 * Negative or non-numeric boxes and annotations naming an unknown image id are refused with their entry.
 */
final class CocoBoxes {
    private record Image(String fileName, int width, int height) {
    }

    private CocoBoxes() {
    }

    static List<SourceBox> read(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(AnnotationFiles.bytes(file, AnnotationFiles.MAX_DATASET_FILE));
        } catch (IOException e) {
            throw new DataException(file, "not COCO json: " + e.getMessage(), e);
        }
        Map<String, Image> images = images(file, array(file, root, "images"));
        JsonNode annotations = array(file, root, "annotations");
        List<SourceBox> boxes = new ArrayList<>();
        for (int i = 0; i < annotations.size(); i++) {
            String where = "annotations[" + i + "]";
            JsonNode a = annotations.get(i);
            Image image = images.get(a.path("image_id").asText(""));
            if (image == null) {
                throw new DataException(file, where + ": image_id " + a.path("image_id") + " is no image's id");
            }
            double[] b = bbox(file, where, a.path("bbox"));
            boxes.add(new SourceBox(List.of(image.fileName()), b[0], b[1], b[0] + b[2], b[1] + b[3], false,
                    image.width(), image.height(), file, where));
        }
        return boxes;
    }

    private static JsonNode array(Path file, JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (!node.isArray()) {
            throw new DataException(file, "COCO json needs an array '" + field + "'");
        }
        return node;
    }

    private static Map<String, Image> images(Path file, JsonNode images) {
        Map<String, Image> byId = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            String where = "images[" + i + "]";
            if (!image.path("id").isValueNode() || !image.path("file_name").isTextual()
                    || image.path("file_name").asText().isBlank()) {
                throw new DataException(file, where + ": needs an id and a file_name");
            }
            int width = image.path("width").asInt(0);
            int height = image.path("height").asInt(0);
            if (width < 0 || height < 0) {
                throw new DataException(file, where + ": negative width or height");
            }
            if (byId.put(image.get("id").asText(), new Image(image.get("file_name").asText(), width, height)) != null) {
                throw new DataException(file, where + ": id " + image.get("id") + " given twice");
            }
        }
        return byId;
    }

    private static double[] bbox(Path file, String where, JsonNode bbox) {
        if (!bbox.isArray() || bbox.size() != 4) {
            throw new DataException(file, where + ": bbox must be [x, y, width, height]");
        }
        double[] b = new double[4];
        for (int k = 0; k < 4; k++) {
            JsonNode v = bbox.get(k);
            if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
                throw new DataException(file, where + ": bbox value " + v + " is not a finite number of 0 or more");
            }
            b[k] = v.asDouble();
        }
        return b;
    }
}
