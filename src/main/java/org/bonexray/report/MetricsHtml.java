package org.bonexray.report;

import org.bonexray.report.html.Html;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.eval.BinaryMetrics;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.LevelResult;
import org.bonexray.eval.MetricIntervals;

/** The per-body-part metrics table of a report, numbers right-aligned, 95% intervals beside each value. */
final class MetricsHtml {
    private static final String[] HEADERS = {"Accuracy", "Sensitivity", "Specificity", "F1", "Kappa", "AUROC"};

    private MetricsHtml() {
    }

    static String table(LevelResult level, String caption) {
        StringBuilder sb = new StringBuilder("<h3>").append(Html.escape(caption)).append("</h3>\n<table><thead><tr>"
                + "<th>Body part</th><th class=\"num\">Studies</th><th class=\"num\">Images</th><th class=\"num\">Abnormal</th>");
        for (String h : HEADERS) {
            sb.append("<th class=\"num\">").append(h).append("<br><span class=\"ci\">95% CI</span></th>");
        }
        sb.append("</tr></thead><tbody>\n");
        level.byBodyPart().forEach(g -> row(sb, g, false));
        row(sb, level.overall(), true);
        return sb.append("</tbody></table>\n").toString();
    }

    private static void row(StringBuilder sb, GroupResult g, boolean total) {
        BinaryMetrics m = g.metrics();
        MetricIntervals ci = g.intervals();
        sb.append(total ? "<tr class=\"total\">" : "<tr>").append("<td>").append(Html.escape(g.displayName())).append("</td>");
        List<String> cells = new ArrayList<>(List.of(String.valueOf(g.studies()), String.valueOf(g.images()),
                String.valueOf(m.positives())));
        cells.add(Html.cell(m.accuracy(), ci.accuracy()));
        cells.add(Html.cell(m.sensitivity(), ci.sensitivity()));
        cells.add(Html.cell(m.specificity(), ci.specificity()));
        cells.add(Html.cell(m.f1(), ci.f1()));
        cells.add(Html.cell(m.kappa(), ci.kappa()));
        cells.add(Html.cell(m.auroc(), ci.auroc()));
        cells.forEach(c -> sb.append("<td class=\"num\">").append(c).append("</td>"));
        sb.append("</tr>\n");
    }
}
