package org.bonexray.data.sample;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Test helper: reads a generated sample's CSVs and images the way a consumer would, from the files alone. */
final class SampleReader {
    final Path parent;
    final Path root;

    SampleReader(Path outDir) {
        this.parent = outDir;
        this.root = outDir.resolve("MURA-v1.1");
    }

    List<String> lines(String file) {
        try {
            return Files.readAllLines(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** image path -> findings rows (finding, x_min, y_min, x_max, y_max). */
    Map<String, List<String[]>> findings() {
        Map<String, List<String[]>> out = new LinkedHashMap<>();
        List<String> rows = lines(SyntheticMuraGenerator.FINDINGS_FILE);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    BufferedImage image(String csvPath) {
        try {
            return ImageIO.read(parent.resolve(csvPath).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gray levels of band 0 (all bands are equal in the sample). */
    static int[] gray(BufferedImage img) {
        Raster r = img.getRaster();
        return r.getSamples(0, 0, img.getWidth(), img.getHeight(), 0, new int[img.getWidth() * img.getHeight()]);
    }

    static String bodyPart(String csvPath) {
        return csvPath.split("/")[2];
    }
}
