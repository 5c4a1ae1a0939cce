package org.bonexray.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renders an evaluation as fixed-width text tables, one row per body part and a last "All" row, like the
 * paper's per-body-part figure: studies, images, accuracy, sensitivity, specificity, F1, kappa and AUROC.
 * The study table shows bootstrap intervals as {@code value [lower, upper]}; undefined values read "n/a".
 */
public final class MetricsTable {
    private static final String NA = "n/a";
    private static final String[] HEADERS = {"Accuracy", "Sensitivity", "Specificity", "F1", "Kappa", "AUROC"};

    private MetricsTable() {
    }

    /** Both tables, study level first, each under a line that says how it was computed. */
    public static String render(EvaluationResult result) {
        StringBuilder out = new StringBuilder();
        BootstrapSettings b = result.bootstrap();
        String ci = b.resamples() == 0 ? "no intervals"
                : String.format(Locale.ROOT, "%.0f%% CI from %d study resamples (seed %d)",
                        100 * b.confidence(), b.resamples(), b.seed());
        out.append("Study level (").append(result.aggregation()).append(" of image probabilities; ")
                .append(result.threshold().description()).append("; ").append(ci).append(")\n");
        out.append(table(result.studyLevel(), b.resamples() > 0));
        out.append('\n');
        out.append("Image level (").append(result.threshold().description()).append(")\n");
        out.append(table(result.imageLevel(), false));
        return out.toString();
    }

    /** One table of a level; {@code withIntervals} adds the bootstrap interval after each value. */
    public static String table(LevelResult level, boolean withIntervals) {
        List<GroupResult> rows = new ArrayList<>(level.byBodyPart());
        rows.add(level.overall());
        int width = withIntervals ? 22 : 11;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-10s %8s %8s", "Body part", "Studies", "Images"));
        for (String h : HEADERS) {
            out.append("  ").append(pad(h, width));
        }
        trimLine(out);
        for (GroupResult row : rows) {
            out.append(String.format(Locale.ROOT, "%-10s %8d %8d", row.displayName(), row.studies(), row.images()));
            for (String cell : cells(row, withIntervals)) {
                out.append("  ").append(pad(cell, width));
            }
            trimLine(out);
        }
        return out.toString();
    }

    /** Ends the current line without the padding of its last cell. */
    private static void trimLine(StringBuilder out) {
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    private static List<String> cells(GroupResult row, boolean withIntervals) {
        BinaryMetrics m = row.metrics();
        MetricIntervals ci = row.intervals();
        List<Function<MetricIntervals, Interval>> intervals = List.of(MetricIntervals::accuracy,
                MetricIntervals::sensitivity, MetricIntervals::specificity, MetricIntervals::f1,
                MetricIntervals::kappa, MetricIntervals::auroc);
        List<Double> values = new ArrayList<>(List.of(m.accuracy(), m.sensitivity(), m.specificity(), m.f1()));
        values.add(m.kappa());
        values.add(m.auroc());
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String cell = number(values.get(i));
            if (withIntervals) {
                cell += " " + interval(intervals.get(i).apply(ci));
            }
            cells.add(cell);
        }
        return cells;
    }

    /** Three decimals, or "n/a" for an undefined (null or non-finite) value. */
    static String number(Double value) {
        return value == null || !Double.isFinite(value) ? NA : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String interval(Interval interval) {
        return interval == null ? "[" + NA + "]"
                : "[" + number(interval.lower()) + ", " + number(interval.upper()) + "]";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
