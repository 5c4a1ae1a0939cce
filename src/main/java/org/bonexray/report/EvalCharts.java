package org.bonexray.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.Locale;
import org.bonexray.eval.BinaryMetrics;
import org.bonexray.eval.ConfusionMatrix;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.experiment.GridSummary;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's JFreeChart figures of decisions: confusion heat tables, calibration, the experiment bars. */
public final class EvalCharts {
    private static final String[] CLASSES = {"Normal", "Abnormal"};

    private EvalCharts() {
    }

    /**
     * A confusion matrix drawn as a 2x2 heat table: rows are the radiologists' labels, columns the model's
     * decisions; each cell shows its count and its share of the row, shaded by that share.
     */
    public static JFreeChart confusion(ConfusionMatrix cm, String title, boolean small) {
        int[][] counts = {{cm.tn(), cm.fp()}, {cm.fn(), cm.tp()}}; // [truth][predicted]
        double[][] xyz = new double[3][4];
        XYPlot plot = new XYPlot();
        for (int t = 0; t < 2; t++) {
            int rowTotal = counts[t][0] + counts[t][1];
            for (int p = 0; p < 2; p++) {
                int k = t * 2 + p;
                double share = rowTotal == 0 ? 0 : (double) counts[t][p] / rowTotal;
                xyz[0][k] = p;
                xyz[1][k] = t;
                xyz[2][k] = share;
                String text = counts[t][p] + String.format(Locale.ROOT, " (%.0f%%)", 100 * share);
                XYTextAnnotation a = new XYTextAnnotation(text, p, t);
                a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, small ? 13 : 17));
                a.setPaint(share > 0.6 ? Color.WHITE : new Color(0x1d2430));
                plot.addAnnotation(a);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("shares", xyz);
        plot.setDataset(data);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new BlueScale());
        plot.setRenderer(renderer);
        SymbolAxis x = new SymbolAxis("Model decision", CLASSES);
        SymbolAxis y = new SymbolAxis("Radiologist label", CLASSES);
        x.setRange(-0.5, 1.5);
        y.setRange(-0.5, 1.5);
        y.setInverted(true);
        x.setGridBandsVisible(false);
        y.setGridBandsVisible(false);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        JFreeChart chart = new JFreeChart(title, plot);
        chart.removeLegend();
        ChartStyle.apply(chart);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        if (small) {
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        }
        return chart;
    }

    /** White to dark blue over [0, 1]. */
    private static final class BlueScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Math.max(0, Math.min(1, value));
            int r = (int) Math.round(255 + v * (0x1d - 255));
            int g = (int) Math.round(255 + v * (0x4e - 255));
            int b = (int) Math.round(255 + v * (0x89 - 255));
            return new Color(r, g, b);
        }
    }

    /**
     * Reliability diagram: studies binned by predicted probability into ten equal-width bins (as the ECE);
     * each bin's observed share of abnormal studies against its mean probability, with the diagonal of perfect
     * calibration.
     */
    public static JFreeChart calibration(List<StudyPrediction> studies, BinaryMetrics metrics, String caption) {
        int bins = BinaryMetrics.ECE_BINS;
        int[] count = new int[bins];
        double[] sumP = new double[bins];
        double[] pos = new double[bins];
        for (StudyPrediction s : studies) {
            int b = Math.min((int) Math.floor(s.probability() * bins), bins - 1);
            count[b]++;
            sumP[b] += s.probability();
            pos[b] += s.label().isAbnormal() ? 1 : 0;
        }
        XYSeries observed = new XYSeries(String.format(Locale.ROOT, "model (ECE %.3f, Brier %.3f)",
                metrics.ece(), metrics.brier()));
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                observed.add(sumP[b] / count[b], pos[b] / count[b]);
            }
        }
        List<Integer> counts = new java.util.ArrayList<>();
        for (int c : count) {
            if (c > 0) {
                counts.add(c);
            }
        }
        XYSeries perfect = new XYSeries("perfect calibration");
        perfect.add(0, 0);
        perfect.add(1, 1);
        XYSeriesCollection data = new XYSeriesCollection(observed);
        data.addSeries(perfect);
        JFreeChart chart = ChartFactory.createXYLineChart("Calibration, study level, " + caption,
                "Mean predicted probability of abnormal (bin)", "Observed share of abnormal studies", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, ChartStyle.PALETTE[0]);
        r.setSeriesStroke(0, ChartStyle.stroke(2.2f));
        r.setSeriesPaint(1, Color.GRAY);
        r.setSeriesStroke(1, ChartStyle.dashed());
        r.setSeriesShapesVisible(1, false);
        // a bin of one or two studies swings the curve: say how many studies each point stands for
        r.setSeriesItemLabelGenerator(0, (dataset, series, item) -> "n=" + counts.get(item));
        r.setSeriesItemLabelsVisible(0, true);
        r.setSeriesItemLabelFont(0, new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        plot.setRenderer(r);
        ((NumberAxis) plot.getDomainAxis()).setRange(0, 1);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.08);
        return ChartStyle.apply(chart);
    }

    /** The experiment grid's study-level metrics per row as grouped bars. */
    public static JFreeChart gridBars(GridSummary summary) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = 0;
        for (GridSummary.Entry e : summary.rows()) {
            GroupResult g = e.study();
            if (g == null) {
                continue;
            }
            BinaryMetrics m = g.metrics();
            data.addValue(m.accuracy(), "accuracy", e.name());
            data.addValue(m.f1(), "F1", e.name());
            data.addValue(m.kappa(), "kappa", e.name());
            data.addValue(m.auroc(), "AUROC", e.name());
            min = Math.min(min, m.kappa() == null ? 0 : m.kappa());
        }
        JFreeChart chart = ChartFactory.createBarChart("Study-level metrics per grid row, valid split", "Grid row",
                "Value", data, PlotOrientation.VERTICAL, true, false, false);
        Charts.bars(chart, 1.0);
        ((NumberAxis) chart.getCategoryPlot().getRangeAxis()).setRange(Math.floor(min * 10) / 10, 1.0);
        if (data.getColumnCount() > 4) { // long row names side by side would overlap
            chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(
                    org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        }
        return chart;
    }
}
