package org.bonexray.explain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.data.DataException;

/**
 * Reads the synthetic sample's {@code findings.csv} ({@code image_path,finding,x_min,y_min,x_max,y_max}, paths as
 * MURA's CSVs write them) into boxes per image path.
 */
public final class FindingBoxes {
    /** The file's name inside the dataset root. */
    public static final String FILE = "findings.csv";
    private static final String HEADER = "image_path,finding,x_min,y_min,x_max,y_max";

    private FindingBoxes() {
    }

    /**
     * The boxes of every image listed.
     *
     * @param csv the findings file
     * @return image path (as in the file) to its boxes, in file order
     * @throws DataException when the file is missing or a row is malformed (with its line number)
     */
    public static Map<String, List<Box>> read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new DataException(csv, "no findings file: localisation needs the synthetic sample's " + FILE);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(csv, "unreadable findings file: " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new DataException(csv, "findings file must start with the header " + HEADER);
        }
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",");
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("expected 6 fields, got " + f.length);
                }
                Box box = new Box(Integer.parseInt(f[2].trim()), Integer.parseInt(f[3].trim()),
                        Integer.parseInt(f[4].trim()), Integer.parseInt(f[5].trim()));
                boxes.computeIfAbsent(f[0].trim(), k -> new ArrayList<>()).add(box);
            } catch (IllegalArgumentException e) {
                throw new DataException(csv, "line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return boxes;
    }
}
