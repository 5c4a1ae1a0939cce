package org.bonexray.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.io.Json;
import org.bonexray.predict.StudyPredictor;

/**
 * The JSON answer for one predicted study, as {@code POST /api/v1/studies} returns it and {@code pacs score}
 * prints it: probability, label, threshold, body part, each view's name, probability and heatmap link (null
 * without one; a view that could not be read also carries its error), and the model id; an ensemble's answer adds
 * {@code members}, how far its members disagree ({@link org.bonexray.eval.MemberSpread}).
 */
public final class StudyJson {
    private StudyJson() {
    }

    /**
     * @param heatmaps one link per view (null entries for none), or an empty list for no heatmaps at all
     */
    public static ObjectNode of(StudyPredictor.StudyResult result, BodyPart bodyPart, List<String> heatmaps, String modelId) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("probability", result.probability());
        out.put("label", result.abnormal() ? "abnormal" : "normal");
        out.put("threshold", result.threshold());
        out.put("body_part", bodyPart == null ? null : bodyPart.name());
        ArrayNode images = out.putArray("images");
        for (int i = 0; i < result.images().size(); i++) {
            StudyPredictor.ImageResult r = result.images().get(i);
            ObjectNode image = images.addObject();
            image.put("name", r.name());
            image.put("probability", r.probability());
            image.put("heatmap", heatmaps.isEmpty() ? null : heatmaps.get(i));
            if (r.error() != null) {
                image.put("error", r.error());
            }
        }
        if (result.spread() != null) {
            out.set("members", Json.MAPPER.valueToTree(result.spread()));
        }
        out.put("model_id", modelId);
        return out;
    }
}
