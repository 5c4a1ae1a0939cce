package org.bonexray.report;

import org.bonexray.report.html.Html;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;

/**
 * A report being assembled: HTML sections with a table of contents, and the PNG figures, each embedded in the
 * page as a data URI and kept to be written beside it.
 */
final class ReportPage {
    /** Section ids in reading order; every report has all of them. */
    static final List<String> SECTIONS = List.of("summary", "dataset", "samples", "training", "roc", "body-parts",
            "confusion", "calibration", "heatmaps", "experiments", "provenance");

    private final StringBuilder body = new StringBuilder();
    private final List<String[]> toc = new ArrayList<>();
    private final Map<String, byte[]> figures = new LinkedHashMap<>();
    private int figureNumber;

    void heading(String title, String meta) {
        body.append("<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"meta\">").append(meta).append("</p>\n");
        body.append("<!--NAV-->\n");
    }

    void section(String id, String title) {
        if (!SECTIONS.contains(id)) {
            throw new IllegalArgumentException("unknown report section " + id);
        }
        if (!toc.isEmpty()) {
            body.append("</section>\n");
        }
        toc.add(new String[] {id, title});
        body.append("<section id=\"").append(id).append("\">\n<h2>").append(Html.escape(title)).append("</h2>\n");
    }

    void html(String fragment) {
        body.append(fragment).append('\n');
    }

    void note(String text) {
        body.append("<p class=\"note\">").append(Html.escape(text)).append("</p>\n");
    }

    /** Adds a chart rendered at a fixed size, with a numbered caption (HTML allowed). */
    void chart(String file, JFreeChart chart, int width, int height, String captionHtml) {
        figure(file, ChartStyle.png(chart, width, height), captionHtml);
    }

    void figure(String file, byte[] png, String captionHtml) {
        figures.put(file, png);
        figureNumber++;
        body.append("<figure><img src=\"").append(Html.pngDataUri(png)).append("\" alt=\"Figure ").append(figureNumber)
                .append("\"><figcaption><b>Figure ").append(figureNumber).append(".</b> ").append(captionHtml)
                .append("</figcaption></figure>\n");
    }

    /** A small figure inside a group, labelled but not numbered; the group gets one caption. */
    void smallChart(String file, JFreeChart chart, int width, int height, String label) {
        smallFigure(file, ChartStyle.png(chart, width, height), label);
    }

    /** A small image inside a group, labelled but not numbered. */
    void smallFigure(String file, byte[] png, String label) {
        figures.put(file, png);
        body.append("<figure><img src=\"").append(Html.pngDataUri(png)).append("\" alt=\"").append(Html.escape(label))
                .append("\"><figcaption>").append(Html.escape(label)).append("</figcaption></figure>\n");
    }

    void openGroup(String cssClass) {
        body.append("<div class=\"").append(cssClass).append("\">\n");
    }

    void closeGroup() {
        body.append("</div>\n");
    }

    Map<String, byte[]> figures() {
        return figures;
    }

    String render(String title) {
        StringBuilder nav = new StringBuilder("<nav>");
        for (String[] t : toc) {
            nav.append("<a href=\"#").append(t[0]).append("\">").append(Html.escape(t[1])).append("</a>");
        }
        nav.append("</nav>");
        String content = body.toString().replace("<!--NAV-->", nav) + (toc.isEmpty() ? "" : "</section>\n");
        return Html.page(title, content);
    }
}
