package org.bonexray.report;

import org.bonexray.report.html.Html;
import java.util.List;
import java.util.Locale;
import org.bonexray.data.DatasetStats;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.eval.BinaryMetrics;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.LevelResult;
import org.bonexray.eval.MetricIntervals;

/** The sections of a report that describe one run: data, samples, training, and its evaluation. */
final class RunSections {
    private RunSections() {
    }

    /** Headline study-level metrics as cards, with the evaluation's settings. */
    static void headline(ReportPage page, RunData run) {
        RunData.Evaluation ev = run.evaluation();
        if (ev == null) {
            page.note("This run has not been evaluated yet (no " + RunData.EVALUATION_DIR + "/metrics.json): run "
                    + "bonexray evaluate --model " + run.dir().resolve("model") + " --data <dataset>.");
            return;
        }
        EvaluationResult r = ev.result();
        GroupResult all = r.studyLevel().overall();
        BinaryMetrics m = all.metrics();
        MetricIntervals ci = all.intervals();
        StringBuilder cards = new StringBuilder("<div class=\"kpis\">");
        card(cards, "AUROC", m.auroc(), ci.auroc());
        card(cards, "Cohen's kappa", m.kappa(), ci.kappa());
        card(cards, "Accuracy", m.accuracy(), ci.accuracy());
        card(cards, "Sensitivity", m.sensitivity(), ci.sensitivity());
        card(cards, "Specificity", m.specificity(), ci.specificity());
        card(cards, "F1", m.f1(), ci.f1());
        page.html(cards.append("</div>").toString());
        page.html(String.format(Locale.ROOT, "<p>Study-level results on the <b>%s</b> split: %d studies (%d abnormal), "
                        + "%d images. A study's probability is the %s of its views' probabilities; it is called abnormal "
                        + "above the threshold %.3f (%s). Brackets give 95%% percentile bootstrap intervals over %d "
                        + "resamples of studies.</p>", Html.escape(ev.split()), all.studies(), m.positives(), all.images(),
                r.aggregation().name().toLowerCase(Locale.ROOT), r.threshold().value(),
                Html.escape(String.valueOf(r.threshold().method()).toLowerCase(Locale.ROOT)), ci.resamples()));
    }

    private static void card(StringBuilder sb, String label, Double value, org.bonexray.eval.Interval ci) {
        String point = value == null || value.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
        String interval = ci == null ? "&nbsp;" : String.format(Locale.ROOT, "[%.3f, %.3f]", ci.lower(), ci.upper());
        sb.append("<div class=\"kpi\"><div class=\"label\">").append(label).append("</div><div class=\"value\">")
                .append(point).append("</div><div class=\"ci\">").append(interval).append("</div></div>");
    }

    static void dataset(ReportPage page, RunData run) {
        page.section("dataset", "Dataset composition");
        if (run.dataNote() != null) {
            page.note(run.dataNote());
        }
        if (run.index() == null) {
            return;
        }
        DatasetStats stats = DatasetStats.of(run.index());
        page.chart("dataset-composition.png", Charts.composition(stats), ChartStyle.WIDE_W, ChartStyle.WIDE_H,
                "Studies per body part in the train (left bar) and valid (right bar, darker) splits, normal (blue) and "
                        + "abnormal (orange) stacked. The model is trained on train (minus its held-out validation "
                        + "patients) and evaluated on valid.");
        StringBuilder t = new StringBuilder("<table><thead><tr><th>Split</th><th>Body part</th><th class=\"num\">Patients"
                + "</th><th class=\"num\">Studies</th><th class=\"num\">Normal</th><th class=\"num\">Abnormal</th>"
                + "<th class=\"num\">Images</th><th class=\"num\">Normal</th><th class=\"num\">Abnormal</th></tr></thead><tbody>");
        for (DatasetStats.Row r : stats.rows()) {
            boolean total = r.bodyPart().equals("TOTAL");
            t.append(total ? "<tr class=\"total\">" : "<tr>").append("<td>").append(r.split()).append("</td><td>")
                    .append(total ? "All" : r.bodyPart().replaceFirst("^XR_", "")).append("</td>");
            for (int v : new int[] {r.patients(), r.studies(), r.normalStudies(), r.abnormalStudies(), r.images(),
                r.normalImages(), r.abnormalImages()}) {
                t.append("<td class=\"num\">").append(String.format(Locale.ROOT, "%,d", v)).append("</td>");
            }
            t.append("</tr>");
        }
        page.html(t.append("</tbody></table>").toString());
    }

    static void samples(ReportPage page, RunData run) {
        page.section("samples", "Sample studies");
        if (run.index() == null) {
            page.note("The dataset is not reachable, so no sample studies are shown.");
            return;
        }
        List<Study> valid = run.index().studies(Split.VALID);
        List<Study> picked = SampleGrid.pick(valid.isEmpty() ? run.index().studies(Split.TRAIN) : valid, 3);
        String split = valid.isEmpty() ? "train" : "valid";
        page.figure("sample-studies.png", SampleGrid.png(picked, "Sample studies from the " + split + " split"),
                "Three normal and three abnormal studies from the " + split + " split, from different body parts, with "
                        + "up to four of their views each (scaled to fit, aspect kept). Labels are the radiologists' "
                        + "study labels.");
    }

    static void training(ReportPage page, RunData run) {
        page.section("training", "Training");
        if (run.history().isEmpty()) {
            page.note("No history.json: the run has not finished an epoch.");
            return;
        }
        page.chart("fit-loss.png", Charts.loss(run.history()), ChartStyle.WIDE_W, ChartStyle.WIDE_H,
                "Loss per epoch: training loss on augmented training images (weighted as the run's loss) and validation "
                        + "loss on the held-out validation patients (from the train split, not the valid split).");
        page.chart("fit-accuracy.png", Charts.accuracy(run.history()), ChartStyle.WIDE_W, ChartStyle.WIDE_H,
                "Training accuracy (images) and validation accuracy and AUROC (studies) of the held-out validation "
                        + "patients per epoch; the model kept is the best epoch by the run's selection metric.");
    }

    static void evaluation(ReportPage page, RunData run) {
        RunData.Evaluation ev = run.evaluation();
        String[][] sections = {{"roc", "ROC curves"}, {"body-parts", "Results per body part"},
            {"confusion", "Confusion matrices"}, {"calibration", "Calibration"}};
        if (ev == null) {
            for (String[] s : sections) {
                page.section(s[0], s[1]);
                page.note("Not evaluated yet: no " + RunData.EVALUATION_DIR + "/ in " + run.dir() + ".");
            }
            return;
        }
        LevelResult study = ev.result().studyLevel();
        String on = ev.split() + " split";
        page.section("roc", "ROC curves");
        page.chart("roc.png", Charts.roc(study, on), ChartStyle.SQUARE_W, ChartStyle.SQUARE_H,
                "Study-level ROC curves on the " + Html.escape(on) + ": all body parts together (thick) and each body "
                        + "part (thin), with the AUROC of each in the legend; the dashed diagonal is chance.");
        page.section("body-parts", "Results per body part");
        page.html(MetricsHtml.table(study, "Study level, " + on));
        page.chart("body-part-bars.png", Charts.bodyPartBars(study, on), ChartStyle.WIDE_W, ChartStyle.WIDE_H,
                "Study-level accuracy and F1 per body part on the " + Html.escape(on) + " (All = every body part).");
        page.html(MetricsHtml.table(ev.result().imageLevel(), "Image level (each view carries its study's label), " + on));
        page.section("confusion", "Confusion matrices");
        confusion(page, study, on);
        page.section("calibration", "Calibration");
        page.chart("calibration.png", EvalCharts.calibration(ev.studies(), study.overall().metrics(), on),
                ChartStyle.SQUARE_W, ChartStyle.SQUARE_H,
                "Reliability of the study probabilities on the " + Html.escape(on) + ": studies binned into ten "
                        + "equal-width probability bins; each point is a non-empty bin's mean probability against its "
                        + "observed share of abnormal studies, labelled with its number of studies (n). Points below the "
                        + "diagonal mean the model overstates the chance of abnormality.");
    }

    private static void confusion(ReportPage page, LevelResult study, String on) {
        double threshold = study.overall().metrics().threshold();
        page.chart("confusion.png", EvalCharts.confusion(study.overall().metrics().confusion(), "All body parts", false),
                ChartStyle.CONFUSION_W, ChartStyle.CONFUSION_H, String.format(Locale.ROOT,
                        "Study-level confusion matrix on the %s, threshold %.3f: rows are the radiologists' labels, "
                                + "columns the model's decisions; each cell gives the count and its share of the row "
                                + "(so the diagonal shows specificity and sensitivity).", Html.escape(on), threshold));
        page.openGroup("smalls");
        for (GroupResult g : study.byBodyPart()) {
            page.smallChart("confusion-" + g.bodyPart().name().toLowerCase(Locale.ROOT) + ".png",
                    EvalCharts.confusion(g.metrics().confusion(), g.displayName(), true), ChartStyle.SMALL_W,
                    ChartStyle.SMALL_H, g.displayName() + ": " + g.studies() + " studies");
        }
        page.closeGroup();
        page.html("<p class=\"meta\">Per body part: the same study-level confusion matrices, one per body part, on the "
                + Html.escape(on) + ".</p>");
    }
}
