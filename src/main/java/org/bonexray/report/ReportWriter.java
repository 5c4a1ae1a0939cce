package org.bonexray.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bonexray.data.DataException;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.RocCurve;
import org.bonexray.experiment.GridRunner;
import org.bonexray.experiment.GridSpec;
import org.bonexray.experiment.GridSummary;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.report.html.Html;

/**
 * Writes the self-contained HTML report ({@code report/index.html}, every figure embedded as a data URI, inline
 * CSS, nothing fetched) with its figures as PNG files beside it; the {@code report/} folder is replaced
 * atomically. The entry points for commands that want a report after training or evaluation.
 */
public final class ReportWriter {
    /** The report folder inside a run or grid directory. */
    public static final String REPORT_DIR = "report";
    public static final String INDEX = "index.html";

    private ReportWriter() {
    }

    /** Writes the report of a training run (with its {@code evaluation-valid/} when present); returns index.html. */
    public static Path writeRunReport(Path runDir, PrintStream log) {
        RunData run = RunData.load(runDir, log);
        ReportPage page = new ReportPage();
        page.heading("Abnormality detection report: " + run.name(), subtitle(run));
        page.section("summary", "Summary");
        page.html(modelSummary(run.manifest()));
        RunSections.headline(page, run);
        runBody(page, run);
        page.section("experiments", "Experiment table");
        page.note("A single run, shown in the experiment table's format; run bonexray experiment to compare settings.");
        GroupResult study = run.evaluation() == null ? null : run.evaluation().result().studyLevel().overall();
        page.html(new GridSummary(run.name(), java.util.List.of(new GridSummary.Entry(run.name(), "", study))).htmlTable());
        provenance(page, run, null);
        return write(runDir, page, "Report " + run.name(), log);
    }

    /**
     * Writes the report of an experiment grid: the experiment table and its charts, then the detail of the row
     * with the highest study-level AUROC (or the first row when none is evaluated); returns index.html.
     */
    public static Path writeGridReport(Path gridDir, PrintStream log) {
        Path gridFile = gridDir.resolve(GridRunner.GRID_FILE);
        if (!Files.isRegularFile(gridFile)) {
            throw new DataException(gridDir, "not an experiment grid directory: " + GridRunner.GRID_FILE + " is missing");
        }
        JsonNode gridJson = readTree(gridFile);
        GridSpec spec = GridSpec.fromJson(gridJson, gridDir.getFileName().toString());
        GridSummary summary = GridRunner.summaryOf(spec, gridDir);
        String best = bestRow(summary);
        Path bestDir = gridDir.resolve(best);
        ReportPage page = new ReportPage();
        page.heading("Experiment grid report: " + spec.name(), String.format(Locale.ROOT,
                "%d rows, %d evaluated; detailed sections show row <b>%s</b>", summary.rows().size(),
                summary.rows().stream().filter(e -> e.study() != null).count(), Html.escape(best)));
        page.section("summary", "Summary");
        RunData run = Files.isRegularFile(bestDir.resolve("manifest.json")) ? RunData.load(bestDir, log) : null;
        page.html("<p>Row <b>" + Html.escape(best) + "</b> has the highest study-level AUROC on the valid split; the "
                + "figures below (dataset, training, ROC, per body part, confusion, calibration) are of this row. "
                + "The experiment table compares all rows.</p>");
        if (run != null) {
            page.html(modelSummary(run.manifest()));
            RunSections.headline(page, run);
            runBody(page, run);
        }
        experiments(page, summary, gridDir);
        provenance(page, run, gridJson);
        return write(gridDir, page, "Grid report " + spec.name(), log);
    }

    private static void runBody(ReportPage page, RunData run) {
        RunSections.dataset(page, run);
        RunSections.samples(page, run);
        RunSections.training(page, run);
        RunSections.evaluation(page, run);
        HeatmapGallery.section(page, run);
    }

    private static void experiments(ReportPage page, GridSummary summary, Path gridDir) {
        page.section("experiments", "Experiment table");
        page.html("<p>Each row is trained on the train split (its own held-out validation patients pick the best "
                + "epoch) and evaluated on the valid split at study level, threshold 0.5; 95% bootstrap intervals "
                + "over studies. Settings are what the row changes from the grid's base.</p>");
        page.html(summary.htmlTable());
        if (summary.rows().stream().anyMatch(e -> e.study() != null)) {
            page.chart("grid-metrics.png", EvalCharts.gridBars(summary), ChartStyle.WIDE_W, ChartStyle.WIDE_H,
                    "Study-level accuracy, F1, Cohen's kappa and AUROC of each evaluated grid row on the valid split.");
            Map<String, RocCurve> curves = new LinkedHashMap<>();
            summary.rows().stream().filter(e -> e.study() != null && e.study().metrics().roc() != null)
                    .forEach(e -> curves.put(e.name() + String.format(Locale.ROOT, " (AUC %.3f)", e.study().metrics().auroc()),
                            e.study().metrics().roc()));
            page.chart("grid-roc.png", Charts.rocOverlay(curves, "valid split, per grid row"), ChartStyle.SQUARE_W,
                    ChartStyle.SQUARE_H, "Study-level ROC curve of each grid row on the valid split (all body parts).");
        }
    }

    private static void provenance(ReportPage page, RunData run, JsonNode grid) {
        page.section("provenance", "Provenance");
        if (run != null) {
            JsonNode m = run.manifest();
            StringBuilder dl = new StringBuilder("<dl class=\"prov\">");
            for (String key : new String[] {"bonexray", "commit", "djl", "pytorch", "java", "os", "device", "threads",
                "dataRoot", "dataHash", "startedAt", "finishedAt"}) {
                dl.append("<dt>").append(key).append("</dt><dd>").append(Html.escape(m.path(key).asText("-"))).append("</dd>");
            }
            if (run.evaluation() != null) {
                dl.append("<dt>evaluatedAt</dt><dd>").append(Html.escape(run.evaluation().metrics().path("evaluatedAt").asText("-")))
                        .append("</dd><dt>evaluation data</dt><dd>").append(Html.escape(run.evaluation().metrics().path("dataHash").asText("-")))
                        .append("</dd>");
            }
            dl.append("<dt>run directory</dt><dd>").append(Html.escape(run.dir().toAbsolutePath().toString())).append("</dd>");
            page.html(dl.append("</dl>").toString());
            page.html("<h3>Training configuration</h3><pre>" + Html.escape(pretty(m.path("config"))) + "</pre>");
            page.html("<h3>Patient-level split of the training data</h3><pre>" + Html.escape(pretty(m.path("counts"))) + "</pre>");
        }
        if (grid != null) {
            page.html("<h3>Experiment grid</h3><pre>" + Html.escape(pretty(grid.deepCopy()
                    .<com.fasterxml.jackson.databind.node.ObjectNode>require().without("resolved"))) + "</pre>");
        }
    }

    private static String subtitle(RunData run) {
        JsonNode m = run.manifest();
        return Html.escape(String.format(Locale.ROOT, "Run %s, started %s, bonexray %s", run.dir().toAbsolutePath(),
                m.path("startedAt").asText("?"), m.path("bonexray").asText("?")));
    }

    private static String modelSummary(JsonNode manifest) {
        JsonNode c = manifest.path("config");
        JsonNode model = c.path("model");
        return "<p><b>Model.</b> " + Html.escape(String.format(Locale.ROOT,
                "%s at %dx%d px, %s (batch norm %s, dropout %s), %s initialisation, pretrained %s, frozen %s; %s "
                        + "lr %s, %s schedule, %s loss, %d epochs, batches of %d.",
                model.path("variant").path("name").asText("?"), model.path("inputSize").asInt(), model.path("inputSize").asInt(),
                headText(model.path("head").path("hiddenWidths")), model.path("head").path("batchNorm").asText(),
                model.path("head").path("dropout").asText(), model.path("init").asText("?").toLowerCase(Locale.ROOT),
                c.path("pretrained").asText(), c.path("freeze").asText(), c.path("optimizer").path("kind").asText(),
                c.path("optimizer").path("learningRate").asText(), c.path("schedule").path("kind").asText(),
                c.path("classWeighted").asBoolean() ? "class-weighted" : "plain", c.path("epochs").asInt(),
                c.path("batchSize").asInt()))
                + "<br><b>Data.</b> " + Html.escape(manifest.path("dataRoot").asText("?")) + " (index hash "
                + Html.escape(manifest.path("dataHash").asText("?")) + ").</p>";
    }

    private static String headText(JsonNode widths) {
        return widths.size() == 0 ? "one linear layer as head" : "head of hidden layers " + widths;
    }

    private static String bestRow(GridSummary summary) {
        String best = summary.rows().get(0).name();
        double bestAuc = Double.NEGATIVE_INFINITY;
        for (GridSummary.Entry e : summary.rows()) {
            Double auc = e.study() == null ? null : e.study().metrics().auroc();
            if (auc != null && auc > bestAuc) {
                bestAuc = auc;
                best = e.name();
            }
        }
        return best;
    }

    private static Path write(Path dir, ReportPage page, String title, PrintStream log) {
        String html = page.render(title);
        Path reportDir = dir.resolve(REPORT_DIR);
        AtomicFiles.replaceDirectory(reportDir, tmp -> {
            for (Map.Entry<String, byte[]> f : page.figures().entrySet()) {
                AtomicFiles.writeBytes(tmp.resolve(f.getKey()), f.getValue());
            }
            AtomicFiles.writeString(tmp.resolve(INDEX), html);
        });
        Path index = reportDir.resolve(INDEX);
        log.printf("Report: %s (%d figures, %,d bytes)%n", index.toAbsolutePath(), page.figures().size(), html.length());
        return index;
    }

    private static String pretty(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return node.toString();
        }
    }

    private static JsonNode readTree(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new DataException(file, "unreadable JSON: " + e.getMessage(), e);
        }
    }
}
