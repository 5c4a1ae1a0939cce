package org.bonexray.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.Interval;
import org.bonexray.eval.MetricIntervals;
import org.bonexray.io.AtomicFiles;
import org.bonexray.report.html.Html;

/**
 * The experiment table: study-level accuracy, F1, Cohen's kappa and AUROC (with 95% bootstrap intervals) of each
 * grid row on the valid split; rows not yet evaluated show as pending.
 *
 * @param title grid name
 * @param rows one entry per grid row, in grid order
 */
public record GridSummary(String title, List<Entry> rows) {
    /** File names of the three renderings, written into the grid directory. */
    public static final String MARKDOWN = "summary.md";
    public static final String CSV = "summary.csv";
    public static final String HTML = "summary.html";

    /**
     * One row of the table.
     *
     * @param name row name
     * @param settings what the row overrides
     * @param study study-level overall result on the valid split, or null when not evaluated yet
     */
    public record Entry(String name, String settings, GroupResult study) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(settings, "settings");
        }
    }

    private record Column(String header, Function<GroupResult, Double> value, Function<MetricIntervals, Interval> interval) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("Accuracy", g -> g.metrics().accuracy(), MetricIntervals::accuracy),
            new Column("F1", g -> g.metrics().f1(), MetricIntervals::f1),
            new Column("Kappa", g -> g.metrics().kappa(), MetricIntervals::kappa),
            new Column("AUROC", g -> g.metrics().auroc(), MetricIntervals::auroc));

    public GridSummary {
        Objects.requireNonNull(title, "title");
        rows = List.copyOf(rows);
    }

    /** Writes summary.md, summary.csv and summary.html into {@code dir}, each atomically. */
    public void write(Path dir) {
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown());
        AtomicFiles.writeString(dir.resolve(CSV), csv());
        AtomicFiles.writeString(dir.resolve(HTML), Html.page("Experiment grid " + title,
                "<h1>Experiment grid " + Html.escape(title) + "</h1>\n" + htmlTable()));
    }

    /** A Markdown table (also what the command prints). */
    public String markdown() {
        StringBuilder sb = new StringBuilder("| Row | Settings | Studies |");
        COLUMNS.forEach(c -> sb.append(' ').append(c.header()).append(" (95% CI) |"));
        sb.append("\n|---|---|---:|");
        COLUMNS.forEach(c -> sb.append("---:|"));
        sb.append('\n');
        for (Entry e : rows) {
            sb.append("| ").append(e.name()).append(" | ").append(e.settings().replace("|", "\\|")).append(" | ")
                    .append(e.study() == null ? "pending" : String.valueOf(e.study().studies())).append(" |");
            COLUMNS.forEach(c -> sb.append(' ').append(cell(e.study(), c)).append(" |"));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** CSV with point estimate, lower and upper bound per metric (empty fields when undefined). */
    public String csv() {
        List<String> header = new ArrayList<>(List.of("row", "settings", "studies"));
        for (Column c : COLUMNS) {
            String key = c.header().toLowerCase(Locale.ROOT);
            header.addAll(List.of(key, key + "_lower", key + "_upper"));
        }
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (Entry e : rows) {
            sb.append(quote(e.name())).append(',').append(quote(e.settings())).append(',')
                    .append(e.study() == null ? "" : e.study().studies());
            for (Column c : COLUMNS) {
                Double v = e.study() == null ? null : c.value().apply(e.study());
                Interval i = e.study() == null ? null : c.interval().apply(e.study().intervals());
                sb.append(',').append(num(v)).append(',').append(i == null ? "" : num(i.lower()))
                        .append(',').append(i == null ? "" : num(i.upper()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The table as an HTML fragment (numbers right-aligned through the report's CSS class {@code num}). */
    public String htmlTable() {
        StringBuilder sb = new StringBuilder("<table class=\"metrics\">\n<thead><tr><th>Row</th><th>Settings</th>"
                + "<th class=\"num\">Studies</th>");
        COLUMNS.forEach(c -> sb.append("<th class=\"num\">").append(c.header()).append("<br><span class=\"ci\">95% CI</span></th>"));
        sb.append("</tr></thead>\n<tbody>\n");
        for (Entry e : rows) {
            sb.append("<tr><td>").append(Html.escape(e.name())).append("</td><td class=\"settings\">")
                    .append(Html.escape(e.settings().isEmpty() ? "(base)" : e.settings())).append("</td><td class=\"num\">")
                    .append(e.study() == null ? "pending" : e.study().studies()).append("</td>");
            COLUMNS.forEach(c -> sb.append("<td class=\"num\">").append(htmlCell(e.study(), c)).append("</td>"));
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>\n").toString();
    }

    private static String htmlCell(GroupResult g, Column c) {
        return g == null ? "-" : Html.cell(c.value().apply(g), c.interval().apply(g.intervals()));
    }

    private static String cell(GroupResult g, Column c) {
        if (g == null) {
            return "-";
        }
        return Html.withInterval(c.value().apply(g), c.interval().apply(g.intervals()));
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
