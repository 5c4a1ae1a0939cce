package org.bonexray.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of {@link DatasetCheck}: how many radiographs of each format decoded, and every bad one with its
 * reason, grouped by reason (paths relative to the checked folder).
 *
 * @param root      the folder checked
 * @param checked   radiographs decoded or refused
 * @param good      radiographs that decoded
 * @param formats   good radiographs per format (png, jpeg, dicom...)
 * @param bad       radiographs refused
 * @param problems  per reason (TRUNCATED, CORRUPT, ...): its words and every file with its detail
 * @param threads   decoding threads used
 * @param seconds   wall time
 */
public record DatasetCheckReport(String root, int checked, int good, Map<String, Integer> formats, int bad,
                                 Map<String, Problem> problems, int threads, double seconds) {

    /** One reason's files. */
    public record Problem(String reason, List<BadFile> files) {
    }

    /** One refused file. */
    public record BadFile(String path, String detail) {
    }

    /** One file's outcome: a format when good, a reason when bad. */
    record Outcome(String path, String format, String reason, String words, String detail) {
        static Outcome good(String path, String format) {
            return new Outcome(path, format, null, null, null);
        }

        static Outcome bad(String path, String reason, String words, String detail) {
            return new Outcome(path, null, reason, words, detail);
        }
    }

    static DatasetCheckReport of(java.nio.file.Path root, List<Outcome> outcomes, int threads, double seconds) {
        Map<String, Integer> formats = new TreeMap<>();
        Map<String, Problem> problems = new TreeMap<>();
        int bad = 0;
        for (Outcome o : outcomes) {
            if (o.reason() == null) {
                formats.merge(o.format(), 1, Integer::sum);
            } else {
                bad++;
                problems.computeIfAbsent(o.reason(), r -> new Problem(o.words(), new ArrayList<>())).files()
                        .add(new BadFile(o.path(), o.detail()));
            }
        }
        return new DatasetCheckReport(root.toString(), outcomes.size(), outcomes.size() - bad, formats, bad,
                problems, threads, seconds);
    }

    /** Whether every radiograph decoded. */
    public boolean clean() {
        return bad == 0;
    }

    /** The report for a person: the counts, then each reason with its files. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        Map<String, Integer> upper = new LinkedHashMap<>();
        formats.forEach((f, n) -> upper.put(f.toUpperCase(Locale.ROOT), n));
        sb.append(String.format(Locale.ROOT, "Checked %,d radiographs under %s in %.1f s (%d thread%s): %,d good%s, %,d bad.%n",
                checked, root, seconds, threads, threads == 1 ? "" : "s", good,
                upper.isEmpty() ? "" : " " + upper.toString().replace('=', ' ').replace("{", "(").replace("}", ")"), bad));
        problems.forEach((reason, p) -> {
            sb.append(String.format(Locale.ROOT, "%n%s (%,d): %s%n", reason, p.files().size(), p.reason()));
            for (BadFile f : p.files()) {
                sb.append("  ").append(f.path()).append("\n      ").append(f.detail()).append('\n');
            }
        });
        return sb.toString();
    }
}
