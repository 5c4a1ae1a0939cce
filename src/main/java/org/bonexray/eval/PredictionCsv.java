package org.bonexray.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DataException;
import org.bonexray.data.Label;
import org.bonexray.io.AtomicFiles;

/**
 * Per-image and per-study prediction CSVs (header row, comma separated, RFC 4180 quoting where needed).
 *
 * <p>Probabilities are written with Java's shortest round-trip representation, so metrics recomputed from a
 * CSV read back with {@link #readStudies} equal those of the evaluation exactly. Columns:
 * <ul>
 *   <li>images: {@code image_path,study_id,body_part,label,probability,predicted}</li>
 *   <li>studies: {@code study_id,body_part,label,probability,predicted,images}</li>
 * </ul>
 * where {@code body_part} is MURA's folder name ({@code XR_WRIST}), {@code label} and {@code predicted} are
 * 0/1 and {@code predicted} is 1 when probability > threshold.
 */
public final class PredictionCsv {
    public static final String IMAGE_HEADER = "image_path,study_id,body_part,label,probability,predicted";
    public static final String STUDY_HEADER = "study_id,body_part,label,probability,predicted,images";
    /** An ensemble's study CSV of its members' disagreement, beside {@link #STUDY_HEADER}'s. */
    public static final String SPREAD_HEADER = "study_id,body_part,label,probability,members,member_sd,member_min,member_max";

    private PredictionCsv() {
    }

    /** Writes image predictions atomically. */
    public static void writeImages(Path target, List<ImagePrediction> images, double threshold) {
        StringBuilder out = new StringBuilder(IMAGE_HEADER).append('\n');
        for (ImagePrediction p : images) {
            out.append(quote(p.imagePath())).append(',').append(quote(p.studyId())).append(',')
                    .append(p.bodyPart().folderName()).append(',').append(p.label().value()).append(',')
                    .append(p.probability()).append(',').append(p.probability() > threshold ? 1 : 0).append('\n');
        }
        AtomicFiles.writeString(target, out.toString());
    }

    /** Writes study predictions atomically. */
    public static void writeStudies(Path target, List<StudyPrediction> studies, double threshold) {
        StringBuilder out = new StringBuilder(STUDY_HEADER).append('\n');
        for (StudyPrediction s : studies) {
            out.append(quote(s.studyId())).append(',').append(s.bodyPart().folderName()).append(',')
                    .append(s.label().value()).append(',').append(s.probability()).append(',')
                    .append(s.probability() > threshold ? 1 : 0).append(',').append(s.imageCount()).append('\n');
        }
        AtomicFiles.writeString(target, out.toString());
    }

    /**
     * Writes an ensemble's study probabilities with its members' spread atomically (columns {@link #SPREAD_HEADER}).
     *
     * @param studies the ensemble's study predictions
     * @param spreads one per study, in the same order
     */
    public static void writeSpread(Path target, List<StudyPrediction> studies, List<MemberSpread> spreads) {
        if (studies.size() != spreads.size()) {
            throw new IllegalArgumentException(spreads.size() + " spreads for " + studies.size() + " studies");
        }
        StringBuilder out = new StringBuilder(SPREAD_HEADER).append('\n');
        for (int i = 0; i < studies.size(); i++) {
            StudyPrediction s = studies.get(i);
            MemberSpread m = spreads.get(i);
            out.append(quote(s.studyId())).append(',').append(s.bodyPart().folderName()).append(',')
                    .append(s.label().value()).append(',').append(s.probability()).append(',').append(m.members())
                    .append(',').append(m.sd()).append(',').append(m.min()).append(',').append(m.max()).append('\n');
        }
        AtomicFiles.writeString(target, out.toString());
    }

    /**
     * Reads a study CSV written by {@link #writeStudies}; the {@code predicted} column is not needed to
     * recompute metrics and is ignored.
     *
     * @throws DataException naming the file and line when the file is not such a CSV
     */
    public static List<StudyPrediction> readStudies(Path source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals(STUDY_HEADER)) {
            throw new DataException(source, "line 1: expected header '" + STUDY_HEADER + "'");
        }
        List<StudyPrediction> studies = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                studies.add(parseStudy(source, i + 1, lines.get(i)));
            }
        }
        return List.copyOf(studies);
    }

    private static StudyPrediction parseStudy(Path source, int lineNo, String line) {
        List<String> f = split(line);
        String where = "line " + lineNo + ": ";
        if (f.size() != 6) {
            throw new DataException(source, where + "expected 6 fields, got " + f.size());
        }
        BodyPart part = BodyPart.parse(f.get(1))
                .orElseThrow(() -> new DataException(source, where + "unknown body part '" + f.get(1) + "'"));
        Label label = Label.parseCsv(f.get(2))
                .orElseThrow(() -> new DataException(source, where + "label must be 0 or 1, got '" + f.get(2) + "'"));
        try {
            return new StudyPrediction(f.get(0), part, label, Double.parseDouble(f.get(3)),
                    Integer.parseInt(f.get(5).strip()));
        } catch (IllegalArgumentException e) {
            throw new DataException(source, where + e.getMessage(), e);
        }
    }

    /** Splits one CSV line, honouring double-quoted fields with doubled quotes inside. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    static String quote(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
