package org.bonexray.explain.boxes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.DataException;

/**
 * YOLO txt boxes: one file per image with the image's base name (its path below the folder names the image, as
 * {@code patient00001/study1_positive/image1.txt}), one line per box {@code class cx cy w h}, the centre and the size
 * as fractions of the image's width and height in [0, 1]. {@code classes.txt}, the class list some tools write
 * beside the labels, is skipped. The boxes stay fractions here: only the image's real size turns them into pixels.
 */
final class YoloBoxes {
    private static final String CLASS_LIST = "classes.txt";

    private YoloBoxes() {
    }

    static List<SourceBox> read(Path source) {
        List<SourceBox> boxes = new ArrayList<>();
        for (Path file : AnnotationFiles.files(source, ".txt")) {
            if (!file.getFileName().toString().equals(CLASS_LIST)) {
                boxes.addAll(read(file, AnnotationFiles.relative(source, file)));
            }
        }
        return boxes;
    }

    private static List<SourceBox> read(Path file, String relative) {
        String text = new String(AnnotationFiles.bytes(file, AnnotationFiles.MAX_PER_IMAGE_FILE), StandardCharsets.UTF_8);
        List<SourceBox> boxes = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length != 5) {
                throw new DataException(file, where + ": expected 'class cx cy w h', got " + f.length + " fields");
            }
            if (!f[0].matches("\\d+")) {
                throw new DataException(file, where + ": class '" + f[0] + "' is not a class number");
            }
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                v[k] = fraction(file, where, f[k + 1]);
            }
            boxes.add(new SourceBox(List.of(relative), v[0] - v[2] / 2, v[1] - v[3] / 2, v[0] + v[2] / 2,
                    v[1] + v[3] / 2, true, 0, 0, file, where));
        }
        return boxes;
    }

    private static double fraction(Path file, String where, String text) {
        try {
            double v = Double.parseDouble(text);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the entry
        }
        throw new DataException(file, where + ": '" + text + "' is not a fraction in [0, 1]");
    }
}
