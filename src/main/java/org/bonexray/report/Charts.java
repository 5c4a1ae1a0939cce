package org.bonexray.report;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.bonexray.data.DatasetStats;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.LevelResult;
import org.bonexray.eval.RocCurve;
import org.bonexray.train.EpochRecord;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SubCategoryAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.GroupedStackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.KeyToGroupMap;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's JFreeChart figures of data, training and per-body-part results. */
public final class Charts {
    private Charts() {
    }

    /** Figure 2: studies per body part, normal and abnormal stacked, one bar per split side by side. */
    public static JFreeChart composition(DatasetStats stats) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        KeyToGroupMap groups = new KeyToGroupMap("train");
        for (DatasetStats.Row r : stats.rows()) {
            if (r.bodyPart().equals("TOTAL")) {
                continue;
            }
            String part = r.bodyPart().replaceFirst("^XR_", "");
            data.addValue(r.normalStudies(), r.split() + " normal", part);
            data.addValue(r.abnormalStudies(), r.split() + " abnormal", part);
            groups.mapKeyToGroup(r.split() + " normal", r.split());
            groups.mapKeyToGroup(r.split() + " abnormal", r.split());
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Studies per body part and label", "Body part (left bar: "
                + "train, right bar: valid)", "Studies", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        GroupedStackedBarRenderer renderer = new GroupedStackedBarRenderer();
        renderer.setSeriesToGroupMap(groups);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.08);
        for (int s = 0; s < data.getRowCount(); s++) {
            String key = (String) data.getRowKey(s);
            boolean abnormal = key.endsWith("abnormal");
            boolean valid = key.startsWith("valid");
            Color base = abnormal ? ChartStyle.ABNORMAL : ChartStyle.NORMAL;
            renderer.setSeriesPaint(s, valid ? base.darker() : base);
        }
        plot.setRenderer(renderer);
        SubCategoryAxis axis = new SubCategoryAxis(plot.getDomainAxis().getLabel());
        axis.setCategoryMargin(0.2);
        plot.setDomainAxis(axis);
        return ChartStyle.apply(chart);
    }

    /** Fit curves: training and validation loss per epoch. */
    public static JFreeChart loss(List<EpochRecord> history) {
        XYSeries train = new XYSeries("training loss (image level, weighted)");
        XYSeries val = new XYSeries("validation loss (image level)");
        for (EpochRecord r : history) {
            train.add(r.epoch(), r.trainLoss());
            val.add(r.epoch(), r.validationLoss());
        }
        return epochChart("Loss per epoch", "Loss", false, train, val);
    }

    /** Fit curves: training accuracy (images) and validation accuracy (studies) per epoch. */
    public static JFreeChart accuracy(List<EpochRecord> history) {
        XYSeries train = new XYSeries("training accuracy (images, augmented)");
        XYSeries val = new XYSeries("validation accuracy (studies)");
        XYSeries auroc = new XYSeries("validation AUROC (studies)");
        for (EpochRecord r : history) {
            train.add(r.epoch(), r.trainAccuracy());
            val.add(r.epoch(), r.validationAccuracy());
            if (r.validationAuroc() != null) {
                auroc.add(r.epoch(), r.validationAuroc());
            }
        }
        return epochChart("Accuracy and AUROC per epoch", "Value", true, train, val, auroc);
    }

    private static JFreeChart epochChart(String title, String yLabel, boolean unitRange, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "Epoch", yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.length; i++) {
            renderer.setSeriesPaint(i, ChartStyle.PALETTE[i]);
            renderer.setSeriesStroke(i, ChartStyle.stroke(2f));
        }
        plot.setRenderer(renderer);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (unitRange) {
            ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        return ChartStyle.apply(chart);
    }

    /** Study-level ROC curves: all body parts together (thick) and each body part (thin), with chance. */
    public static JFreeChart roc(LevelResult level, String caption) {
        XYSeriesCollection data = new XYSeriesCollection();
        addRoc(data, "All" + auc(level.overall()), level.overall().metrics().roc());
        for (GroupResult g : level.byBodyPart()) {
            addRoc(data, g.displayName() + auc(g), g.metrics().roc());
        }
        return rocChart("ROC, study level, " + caption, data);
    }

    /** One overall ROC curve per named run (the experiment grid). */
    public static JFreeChart rocOverlay(Map<String, RocCurve> curves, String caption) {
        XYSeriesCollection data = new XYSeriesCollection();
        curves.forEach((name, roc) -> addRoc(data, name, roc));
        return rocChart("ROC, study level, " + caption, data);
    }

    private static JFreeChart rocChart(String title, XYSeriesCollection data) {
        XYSeries chance = new XYSeries("chance");
        chance.add(0, 0);
        chance.add(1, 1);
        data.addSeries(chance);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "1 - specificity (false positive rate)",
                "Sensitivity (true positive rate)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        int n = data.getSeriesCount();
        for (int i = 0; i < n - 1; i++) {
            r.setSeriesPaint(i, ChartStyle.PALETTE[i % ChartStyle.PALETTE.length]);
            r.setSeriesStroke(i, ChartStyle.stroke(i == 0 ? 3f : 1.4f));
        }
        r.setSeriesPaint(n - 1, Color.GRAY);
        r.setSeriesStroke(n - 1, ChartStyle.dashed());
        plot.setRenderer(r);
        ((NumberAxis) plot.getDomainAxis()).setRange(0, 1);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.005);
        return ChartStyle.apply(chart);
    }

    private static void addRoc(XYSeriesCollection data, String name, RocCurve roc) {
        XYSeries s = new XYSeries(name, false, true);
        if (roc != null) {
            for (int i = 0; i < roc.size(); i++) {
                s.add(roc.fpr().get(i), roc.tpr().get(i));
            }
        }
        data.addSeries(s);
    }

    private static String auc(GroupResult g) {
        Double a = g.metrics().auroc();
        return a == null ? " (one class only)" : String.format(java.util.Locale.ROOT, " (AUC %.3f)", a);
    }

    /** Figure 4: study-level accuracy and F1 per body part, with all body parts together first. */
    public static JFreeChart bodyPartBars(LevelResult level, String caption) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        addBars(data, level.overall());
        level.byBodyPart().forEach(g -> addBars(data, g));
        JFreeChart chart = ChartFactory.createBarChart("Accuracy and F1 per body part, study level, " + caption,
                "Body part", "Value", data, PlotOrientation.VERTICAL, true, false, false);
        return bars(chart, 1.0);
    }

    private static void addBars(DefaultCategoryDataset data, GroupResult g) {
        data.addValue(g.metrics().accuracy(), "accuracy", g.displayName());
        data.addValue(g.metrics().f1(), "F1", g.displayName());
    }

    /** Bars in the house style with a fixed value range from 0 to {@code max}. */
    static JFreeChart bars(JFreeChart chart, double max) {
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < plot.getDataset().getRowCount(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.PALETTE[i % ChartStyle.PALETTE.length]);
        }
        ((NumberAxis) plot.getRangeAxis()).setRange(0, max);
        return ChartStyle.apply(chart);
    }
}
