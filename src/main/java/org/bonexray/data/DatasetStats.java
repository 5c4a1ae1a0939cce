package org.bonexray.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The composition of a dataset per split and body part (the paper's Figure 2): studies and images,
 * normal and abnormal, with totals per split.
 *
 * @param rows one row per split and body part present, then one total row per split (body part "TOTAL")
 */
public record DatasetStats(List<Row> rows) {

    /**
     * Counts of one split and body part.
     *
     * @param split split folder name
     * @param bodyPart body part folder name, or {@code TOTAL}
     */
    public record Row(String split, String bodyPart, int patients, int normalStudies, int abnormalStudies,
                      int normalImages, int abnormalImages) {
        @JsonProperty("studies")
        public int studies() {
            return normalStudies + abnormalStudies;
        }

        @JsonProperty("images")
        public int images() {
            return normalImages + abnormalImages;
        }
    }

    public static DatasetStats of(MuraIndex index) {
        List<Row> rows = new ArrayList<>();
        for (Split split : Split.values()) {
            List<Study> inSplit = index.studies(split);
            if (inSplit.isEmpty()) {
                continue;
            }
            for (BodyPart part : BodyPart.values()) {
                List<Study> studies = inSplit.stream().filter(s -> s.bodyPart() == part).toList();
                if (!studies.isEmpty()) {
                    rows.add(row(split, part.folderName(), studies));
                }
            }
            rows.add(row(split, "TOTAL", inSplit));
        }
        return new DatasetStats(rows);
    }

    private static Row row(Split split, String name, List<Study> studies) {
        int[] c = new int[4];
        for (Study s : studies) {
            int k = s.label().isAbnormal() ? 1 : 0;
            c[k]++;
            c[2 + k] += s.images().size();
        }
        int patients = (int) studies.stream().map(Study::patientId).distinct().count();
        return new Row(split.folderName(), name, patients, c[0], c[1], c[2], c[3]);
    }

    /** A fixed-width table: split, body part, patients, studies (normal/abnormal), images (normal/abnormal). */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-6s %-12s %8s %8s %8s %8s %8s %8s %8s%n";
        sb.append(String.format(Locale.ROOT, fmt, "split", "body part", "patients", "studies", "normal", "abnormal",
                "images", "normal", "abnormal"));
        for (Row r : rows) {
            if (r.bodyPart().equals("TOTAL")) {
                sb.append("-".repeat(84)).append(System.lineSeparator());
            }
            sb.append(String.format(Locale.ROOT, fmt, r.split(), r.bodyPart(), num(r.patients()), num(r.studies()),
                    num(r.normalStudies()), num(r.abnormalStudies()), num(r.images()), num(r.normalImages()),
                    num(r.abnormalImages())));
        }
        return sb.toString();
    }

    private static String num(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
