package org.bonexray.explain.boxes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bonexray.explain.Box;
import org.bonexray.explain.FindingBoxes;

/** The sample's {@code findings.csv}, read by {@link FindingBoxes#read} (its rules and errors) into source boxes. */
final class CsvBoxes {
    private CsvBoxes() {
    }

    static List<SourceBox> read(Path csv) {
        List<SourceBox> boxes = new ArrayList<>();
        for (Map.Entry<String, List<Box>> e : FindingBoxes.read(csv).entrySet()) {
            for (Box b : e.getValue()) {
                boxes.add(SourceBox.pixels(e.getKey(), b.xMin(), b.yMin(), b.xMax(), b.yMax(), csv, e.getKey()));
            }
        }
        return boxes;
    }
}
