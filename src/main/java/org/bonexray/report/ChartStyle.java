package org.bonexray.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;

/**
 * One look for every chart of the report (white background, light grid, sans-serif type, a colour-blind
 * safe palette) and the fixed PNG sizes, in pixels, that the report documents.
 */
public final class ChartStyle {
    /** Wide charts (composition, fit curves, bars): 800 x 500. */
    public static final int WIDE_W = 800;
    public static final int WIDE_H = 500;
    /** Square-ish charts (ROC, calibration): 560 x 520. */
    public static final int SQUARE_W = 560;
    public static final int SQUARE_H = 520;
    /** Overall confusion matrix: 380 x 340; per-body-part ones: 260 x 240. */
    public static final int CONFUSION_W = 380;
    public static final int CONFUSION_H = 340;
    public static final int SMALL_W = 260;
    public static final int SMALL_H = 240;

    /** Okabe-Ito palette, distinguishable with the common colour-vision deficiencies. */
    public static final Paint[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)};
    public static final Color NORMAL = new Color(0x56B4E9);
    public static final Color ABNORMAL = new Color(0xD55E00);
    static final Color GRID = new Color(0xDDE1E6);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ChartStyle() {
    }

    /** Applies the house style to a chart and returns it. */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(TEXT);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(GRID);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.getDomainAxis().setLabelFont(TEXT);
            xy.getRangeAxis().setLabelFont(TEXT);
        } else if (plot instanceof CategoryPlot cat) {
            cat.setRangeGridlinePaint(GRID);
            cat.getDomainAxis().setLabelFont(TEXT);
            cat.getRangeAxis().setLabelFont(TEXT);
        }
        return chart;
    }

    /** A stroke of the given width, round-joined. */
    static BasicStroke stroke(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** A dashed thin stroke for reference lines (chance, perfect calibration). */
    static BasicStroke dashed() {
        return new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);
    }

    /** Renders a chart as PNG bytes of exactly {@code width} x {@code height} pixels. */
    public static byte[] png(JFreeChart chart, int width, int height) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(out, chart, width, height);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render chart " + chart.getTitle(), e);
        }
    }
}
