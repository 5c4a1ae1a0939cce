package org.bonexray.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Writes small MURA-format trees for tests: studies with tiny PNGs and, optionally, the four CSVs. */
final class MuraTree {
    final Path root;
    private final List<String> studyLines = new ArrayList<>();
    private final List<String> imageLines = new ArrayList<>();

    MuraTree(Path parent) {
        this.root = parent.resolve("MURA-v1.1");
    }

    /** Adds a study on disk and in the CSV lists; returns its folder. */
    Path study(Split split, String part, int patient, int study, boolean abnormal, int images) {
        String id = String.format("%s/%s/patient%05d/study%d_%s", split.folderName(), part, patient, study,
                abnormal ? "positive" : "negative");
        Path dir = root.resolve(id);
        for (int i = 1; i <= images; i++) {
            writePng(dir.resolve("image" + i + ".png"));
            imageLines.add("MURA-v1.1/" + id + "/image" + i + ".png");
        }
        studyLines.add("MURA-v1.1/" + id + "/," + (abnormal ? 1 : 0));
        return dir;
    }

    void addStudyLine(String line) {
        studyLines.add(line);
    }

    void addImageLine(String line) {
        imageLines.add(line);
    }

    List<String> studyLines() {
        return studyLines;
    }

    /** Writes {train,valid}_labeled_studies.csv and {train,valid}_image_paths.csv from the lists. */
    MuraTree writeCsvs() {
        for (Split split : Split.values()) {
            String prefix = "MURA-v1.1/" + split.folderName() + "/";
            write(root.resolve(split.folderName() + "_labeled_studies.csv"),
                    studyLines.stream().filter(l -> l.startsWith(prefix)).toList());
            write(root.resolve(split.folderName() + "_image_paths.csv"),
                    imageLines.stream().filter(l -> l.startsWith(prefix)).toList());
        }
        return this;
    }

    /** A standard little dataset: 2 body parts x both splits, several patients, 1-3 views. */
    static MuraTree standard(Path parent) {
        MuraTree t = new MuraTree(parent);
        t.study(Split.TRAIN, "XR_WRIST", 1, 1, true, 2);
        t.study(Split.TRAIN, "XR_WRIST", 1, 2, false, 1);
        t.study(Split.TRAIN, "XR_WRIST", 2, 1, false, 3);
        t.study(Split.TRAIN, "XR_HAND", 3, 1, true, 2);
        t.study(Split.TRAIN, "XR_HAND", 4, 1, false, 2);
        t.study(Split.VALID, "XR_WRIST", 10, 1, true, 1);
        t.study(Split.VALID, "XR_HAND", 11, 1, false, 2);
        return t;
    }

    static void writePng(Path file) {
        try {
            Files.createDirectories(file.getParent());
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setSample(3, 3, 0, 200);
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
