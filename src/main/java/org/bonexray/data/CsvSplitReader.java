package org.bonexray.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one split from MURA's official CSVs ({@code <split>_labeled_studies.csv} and
 * {@code <split>_image_paths.csv}) and checks them against the folders on disk.
 */
final class CsvSplitReader {
    private final Path root;
    private final Split split;
    private final IndexBuilder out;
    private final Path studiesCsv;
    private final Path imagesCsv;
    private final Set<String> unknownPartsReported = new HashSet<>();
    private final Set<String> idsInStudiesCsv = new HashSet<>();

    CsvSplitReader(Path root, Split split, IndexBuilder out) {
        this.root = root;
        this.split = split;
        this.out = out;
        this.studiesCsv = root.resolve(split.folderName() + "_labeled_studies.csv");
        this.imagesCsv = root.resolve(split.folderName() + "_image_paths.csv");
    }

    static boolean present(Path root, Split split) {
        return Files.isRegularFile(root.resolve(split.folderName() + "_labeled_studies.csv"))
                || Files.isRegularFile(root.resolve(split.folderName() + "_image_paths.csv"));
    }

    void read() {
        if (!Files.isRegularFile(studiesCsv) || !Files.isRegularFile(imagesCsv)) {
            Path missing = Files.isRegularFile(studiesCsv) ? imagesCsv : studiesCsv;
            throw new DataException(missing, "missing: MURA lists a split in two CSVs and only one of them is here");
        }
        Map<String, Label> labels = readLabels();
        Map<String, List<String>> imagesByStudy = readImagePaths();
        Set<String> listedStudyIds = new HashSet<>(idsInStudiesCsv);
        for (Map.Entry<String, List<String>> e : imagesByStudy.entrySet()) {
            if (idsInStudiesCsv.contains(e.getKey()) && !labels.containsKey(e.getKey())) {
                out.leaveOut(0, e.getValue().size()); // its study line was refused; the study is counted there
            } else if (!labels.containsKey(e.getKey())) {
                out.issue(IssueKind.STUDY_WITHOUT_LABEL, root.resolve(e.getKey()),
                        e.getValue().size() + " image(s) listed in " + imagesCsv.getFileName() + " but the study is not in " + studiesCsv.getFileName());
                out.leaveOut(1, e.getValue().size());
                listedStudyIds.add(e.getKey());
            }
        }
        for (Map.Entry<String, Label> e : labels.entrySet()) {
            keepStudy(e.getKey(), e.getValue(), imagesByStudy.getOrDefault(e.getKey(), List.of()));
        }
        new UnlistedFolderCheck(root, split, out, listedStudyIds).run();
    }

    private void keepStudy(String id, Label label, List<String> imageNames) {
        Path dir = root.resolve(id);
        List<String> parts = List.of(id.split("/"));
        BodyPart part = BodyPart.parse(parts.get(1)).orElseThrow();
        if (!Files.isDirectory(dir)) {
            out.issue(IssueKind.LISTED_STUDY_MISSING, dir, imageNames.size() + " listed image(s)");
            out.leaveOut(1, imageNames.size());
            return;
        }
        if (imageNames.isEmpty()) {
            out.issue(IssueKind.EMPTY_STUDY, dir, "no image of this study is listed in " + imagesCsv.getFileName());
            out.leaveOut(1, 0);
            return;
        }
        List<Path> kept = new ArrayList<>();
        Set<Path> listed = new HashSet<>();
        for (String name : imageNames) {
            Path image = dir.resolve(name);
            listed.add(image);
            if (Files.isRegularFile(image)) {
                kept.add(image);
            } else {
                out.issue(IssueKind.LISTED_IMAGE_MISSING, image, "");
                out.leaveOut(0, 1);
            }
        }
        reportUnlistedImages(dir, listed);
        if (kept.isEmpty()) {
            out.leaveOut(1, 0);
            return;
        }
        out.studies.add(new Study(id, split, part, parts.get(2), label, kept));
    }

    private void reportUnlistedImages(Path dir, Set<Path> listed) {
        try {
            for (Path onDisk : MuraPaths.imagesIn(dir)) {
                if (!listed.contains(onDisk)) {
                    out.issue(IssueKind.UNLISTED_IMAGE, onDisk, "not in " + imagesCsv.getFileName());
                    out.leaveOut(0, 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Study id (relative path below the root) to label, in file order; bad lines become issues. */
    private Map<String, Label> readLabels() {
        Map<String, Label> labels = new LinkedHashMap<>();
        List<String> lines = lines(studiesCsv);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String where = studiesCsv.getFileName() + " line " + (i + 1);
            int comma = line.lastIndexOf(',');
            Optional<Label> label = comma < 0 ? Optional.empty() : Label.parseCsv(line.substring(comma + 1));
            Optional<String> id = comma < 0 ? Optional.empty() : studyId(line.substring(0, comma), 4, where);
            if (label.isEmpty() || id.isEmpty()) {
                if (id.isPresent() || comma < 0) {
                    out.issue(IssueKind.MALFORMED_ENTRY, studiesCsv, where + ": expected 'path,0' or 'path,1' but read '" + line + "'");
                }
                continue;
            }
            if (!idsInStudiesCsv.add(id.get())) {
                out.issue(IssueKind.DUPLICATE_ENTRY, root.resolve(id.get()), where);
                continue;
            }
            Optional<Label> folderLabel = Label.fromStudyFolder(id.get().substring(id.get().lastIndexOf('/') + 1));
            if (folderLabel.isPresent() && folderLabel.get() != label.get()) {
                out.issue(IssueKind.LABEL_CONTRADICTS_FOLDER, root.resolve(id.get()),
                        where + " says " + label.get().value() + " (" + label.get() + ") but the folder says " + folderLabel.get());
                out.leaveOut(1, 0);
                continue;
            }
            labels.put(id.get(), label.get());
        }
        return labels;
    }

    /** Study id to its listed image file names, in file order. */
    private Map<String, List<String>> readImagePaths() {
        Map<String, List<String>> byStudy = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> lines = lines(imagesCsv);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            String where = imagesCsv.getFileName() + " line " + (i + 1);
            List<String> parts = MuraPaths.relativeParts(lines.get(i));
            Optional<String> id = studyId(String.join("/", parts.subList(0, Math.min(4, parts.size()))), 4, where);
            if (id.isEmpty()) {
                continue;
            }
            if (parts.size() != 5) {
                out.issue(IssueKind.MALFORMED_ENTRY, imagesCsv, where + ": expected split/XR_PART/patient/study/image but read '" + lines.get(i) + "'");
                continue;
            }
            if (!seen.add(String.join("/", parts))) {
                out.issue(IssueKind.DUPLICATE_ENTRY, root.resolve(String.join("/", parts)), where);
                continue;
            }
            byStudy.computeIfAbsent(id.get(), k -> new ArrayList<>()).add(parts.get(4));
        }
        return byStudy;
    }

    /**
     * Checks a CSV study path and returns its id below the root ({@code train/XR_WRIST/patient00001/study1_positive}),
     * or empty after reporting why it is unusable. Studies of body parts the options exclude are dropped silently,
     * since the user asked for that.
     */
    private Optional<String> studyId(String csvPath, int depth, String where) {
        List<String> parts = MuraPaths.relativeParts(csvPath);
        if (parts.size() < depth || !parts.get(0).equals(split.folderName())) {
            out.issue(IssueKind.MALFORMED_ENTRY, csvNamed(where),
                    where + ": expected a path like MURA-v1.1/" + split.folderName() + "/XR_PART/patientNNNNN/studyN_label but read '" + csvPath + "'");
            return Optional.empty();
        }
        Optional<BodyPart> part = BodyPart.parse(parts.get(1));
        String id = String.join("/", parts.subList(0, depth));
        if (part.isEmpty()) {
            if (unknownPartsReported.add(id)) {
                out.issue(IssueKind.UNKNOWN_BODY_PART, root.resolve(id), where + ": '" + parts.get(1) + "'");
            }
            return Optional.empty();
        }
        return out.options.keeps(part.get()) ? Optional.of(id) : Optional.empty();
    }

    private Path csvNamed(String where) {
        return where.startsWith(studiesCsv.getFileName().toString()) ? studiesCsv : imagesCsv;
    }

    private static List<String> lines(Path csv) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(csv, StandardCharsets.UTF_8));
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
                lines.set(0, lines.get(0).substring(1)); // a byte-order mark left by spreadsheet tools
            }
            lines.replaceAll(String::strip);
            return lines; // blank lines kept so that reported line numbers match the file

        } catch (IOException e) {
            throw new DataException(csv, "cannot read: " + e.getMessage(), e);
        }
    }
}
