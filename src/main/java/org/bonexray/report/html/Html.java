package org.bonexray.report.html;

import java.util.Base64;
import java.util.Locale;
import org.bonexray.eval.Interval;

/** Small HTML helpers shared by the report and the experiment table: escaping, numbers, the page shell. */
public final class Html {
    private Html() {
    }

    /** Escapes text for element content and double-quoted attributes. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A metric as {@code 0.812 (0.771-0.850)}, or {@code n/a} when undefined; the interval only when present. */
    public static String withInterval(Double value, Interval interval) {
        if (value == null || value.isNaN()) {
            return "n/a";
        }
        String point = String.format(Locale.ROOT, "%.3f", value);
        return interval == null ? point
                : point + String.format(Locale.ROOT, " [%.3f, %.3f]", interval.lower(), interval.upper());
    }

    /** A metric for a table cell (HTML): the value, and its interval below it in small type. */
    public static String cell(Double value, Interval interval) {
        if (value == null || value.isNaN()) {
            return "n/a";
        }
        String point = String.format(Locale.ROOT, "%.3f", value);
        return interval == null ? point : point + String.format(Locale.ROOT,
                "<br><span class=\"ci\">[%.3f, %.3f]</span>", interval.lower(), interval.upper());
    }

    /** A PNG as a {@code data:} URI, so the page needs no other file. */
    public static String pngDataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** A complete page with the report's inline style sheet around {@code body}. */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
    }

    private static final String CSS = """
            body { margin: 0; background: #f6f7f9; color: #1d2430;
                   font: 16px/1.55 Georgia, "DejaVu Serif", "Times New Roman", serif; }
            main { max-width: 1040px; margin: 0 auto; padding: 32px 40px 64px; background: #fff;
                   box-shadow: 0 0 0 1px #e3e6eb; }
            h1, h2, h3, th, .kpi, nav, figcaption, .meta, table { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
            h1 { font-size: 28px; margin: 0 0 4px; }
            h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 8px; border-top: 2px solid #1d4e89; color: #1d4e89; }
            h3 { font-size: 16px; margin: 20px 0 6px; }
            .meta { color: #5a6475; font-size: 14px; margin: 0 0 16px; }
            nav { font-size: 14px; margin: 12px 0 8px; }
            nav a { color: #1d4e89; margin-right: 14px; text-decoration: none; }
            .kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
            .kpi { flex: 1 1 130px; border: 1px solid #d8dde5; border-radius: 6px; padding: 10px 14px; background: #fafbfc; }
            .kpi .label { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: #5a6475; }
            .kpi .value { font-size: 26px; font-weight: 600; }
            .kpi .ci { font-size: 13px; color: #5a6475; }
            table { border-collapse: collapse; font-size: 13.5px; margin: 8px 0 16px; width: 100%; }
            th, td { padding: 5px 9px; border-bottom: 1px solid #e3e6eb; text-align: left; vertical-align: top; }
            thead th { border-bottom: 2px solid #1d2430; background: #f1f3f6; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.num { white-space: nowrap; }
            th { padding: 5px 7px; }
            td.settings { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; color: #39414f; }
            tr.total td { font-weight: 600; border-top: 2px solid #1d2430; }
            .ci { color: #5a6475; font-weight: normal; font-size: 12px; }
            figure { margin: 16px 0 24px; }
            figure img { max-width: 100%; height: auto; border: 1px solid #e3e6eb; }
            figcaption { font-size: 13.5px; color: #39414f; margin-top: 6px; }
            figcaption b { color: #1d2430; }
            .pair { display: flex; flex-wrap: wrap; gap: 16px; }
            .pair figure { flex: 1 1 460px; }
            .smalls { display: flex; flex-wrap: wrap; gap: 6px 14px; }
            .smalls figure { flex: 0 0 auto; margin: 4px 0; }
            .smalls figcaption { max-width: 260px; }
            .note { font-size: 14px; color: #5a6475; font-style: italic; }
            pre { font-size: 12px; background: #f6f7f9; border: 1px solid #e3e6eb; padding: 10px; overflow-x: auto; }
            dl.prov { display: grid; grid-template-columns: 180px 1fr; gap: 4px 12px; font-size: 14px; }
            dl.prov dt { font-family: "DejaVu Sans", Arial, sans-serif; color: #5a6475; }
            dl.prov dd { margin: 0; font-family: "DejaVu Sans Mono", monospace; font-size: 13px; word-break: break-all; }
            """;
}
