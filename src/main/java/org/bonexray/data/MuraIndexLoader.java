package org.bonexray.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a MURA-format dataset root into a {@link MuraIndex}: each split from MURA's CSVs when present,
 * by scanning its folders otherwise, checking the two against each other. Problems are collected with
 * path and reason; those the {@link LoadOptions} do not tolerate refuse the dataset with all of them.
 */
public final class MuraIndexLoader {
    /** The folder name of MURA v1.1's root, which its CSV paths start with. */
    public static final String ROOT_NAME = "MURA-v1.1";

    private MuraIndexLoader() {
    }

    /** Loads and validates {@code root}; throws {@link DatasetValidationException} listing what is wrong. */
    public static MuraIndex load(Path root, LoadOptions options) {
        Path dir = resolveRoot(root);
        IndexBuilder builder = new IndexBuilder(options);
        Map<Split, String> sources = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            if (CsvSplitReader.present(dir, split)) {
                new CsvSplitReader(dir, split, builder).read();
                sources.put(split, "csv");
            } else if (Files.isDirectory(dir.resolve(split.folderName()))) {
                new FolderSplitScanner(dir, split, builder).read();
                sources.put(split, "folder scan");
            }
        }
        if (sources.isEmpty()) {
            throw new DataException(dir, "not a MURA-format dataset: no train/ or valid/ folder and no "
                    + "train_image_paths.csv / valid_image_paths.csv (point --data at the MURA-v1.1 folder)");
        }
        List<ValidationIssue> blocking = builder.blocking();
        if (!blocking.isEmpty()) {
            throw new DatasetValidationException(dir, blocking);
        }
        LoadReport report = new LoadReport(builder.issues, sources, builder.studiesLeftOut, builder.imagesLeftOut);
        return new MuraIndex(dir, builder.studies, report);
    }

    /** Accepts the MURA-v1.1 folder itself or the folder that contains it. */
    static Path resolveRoot(Path root) {
        if (!Files.isDirectory(root)) {
            throw new DataException(root, Files.exists(root) ? "not a directory" : "no such directory");
        }
        Path nested = root.resolve(ROOT_NAME);
        boolean looksLikeRoot = Files.isDirectory(root.resolve("train")) || Files.isDirectory(root.resolve("valid"))
                || CsvSplitReader.present(root, Split.TRAIN) || CsvSplitReader.present(root, Split.VALID);
        return !looksLikeRoot && Files.isDirectory(nested) ? nested : root;
    }
}
