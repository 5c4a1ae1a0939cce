package org.bonexray.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bonexray.cli.Main;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.experiment.GridRunner;
import org.bonexray.experiment.GridSpec;
import org.bonexray.experiment.GridSummary;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/** A two-row grid of tiny DenseNets on a tiny synthetic sample, end to end: training, evaluation, table, reports. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentGridTest {

    @Test
    @Order(1)
    void gridRunsEveryRowAndTabulatesStudyLevelMetrics() throws IOException {
        TinyGrid g = TinyGrid.get();
        assertEquals(2, g.summary.rows().size());
        for (GridSummary.Entry e : g.summary.rows()) {
            assertNotNull(e.study(), e.name() + " not evaluated");
            assertEquals(g.index.studies(org.bonexray.data.Split.VALID).size(), e.study().studies());
            assertTrue(Files.isRegularFile(g.gridDir.resolve(e.name()).resolve("manifest.json")));
            assertTrue(Files.isRegularFile(g.gridDir.resolve(e.name()).resolve("evaluation-valid/study_predictions.csv")));
        }
        String md = Files.readString(g.gridDir.resolve(GridSummary.MARKDOWN));
        assertTrue(md.contains("| he | model.init=HE |"), md);
        assertTrue(md.contains("| xavier-head16 | model.init=XAVIER, model.head.hiddenWidths=[16] |"), md);
        assertFalse(md.contains("pending"), md);
        List<String> csv = Files.readAllLines(g.gridDir.resolve(GridSummary.CSV));
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).startsWith("row,settings,studies,accuracy,accuracy_lower,accuracy_upper,f1,"), csv.get(0));
        assertTrue(Files.readString(g.gridDir.resolve(GridSummary.HTML)).contains("<td>xavier-head16</td>"));
        JsonNode resolved = Json.MAPPER.readTree(g.gridDir.resolve(GridRunner.GRID_FILE).toFile()).path("resolved");
        assertEquals("tiny", resolved.get(1).path("config").path("model").path("variant").path("name").asText());
        assertEquals(32, resolved.get(1).path("config").path("model").path("inputSize").asInt());
        assertEquals("[16]", resolved.get(1).path("config").path("model").path("head").path("hiddenWidths").toString());
    }

    @Test
    @Order(2)
    void rerunningAnInterruptedGridSkipsFinishedRows() {
        TinyGrid g = TinyGrid.get();
        assertEquals(1, g.firstRun.rows().size());
        assertTrue(g.secondLog.contains("row 1/2: he - already evaluated, skipped"), g.secondLog);
        assertTrue(g.secondLog.contains("row 2/2: xavier-head16 - starting"), g.secondLog);
        assertEquals(g.firstRowMetricsMtime, g.firstRowMetricsMtimeAfter, "row 1 was evaluated again");
    }

    @Test
    @Order(3)
    void gridReportHasEverySectionAndOnlyEmbeddedPngs() throws IOException {
        TinyGrid g = TinyGrid.get();
        Path index = ReportWriter.writeGridReport(g.gridDir, new PrintStream(PrintStream.nullOutputStream()));
        String html = Files.readString(index);
        ReportTestSupport.assertSections(html);
        int images = ReportTestSupport.assertSelfContained(html);
        assertTrue(html.contains("<td>xavier-head16</td>"), "experiment table missing");
        List<Path> pngs;
        try (Stream<Path> s = Files.list(index.getParent())) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).toList();
        }
        assertEquals(images, pngs.size());
        Path dir = index.getParent();
        ReportTestSupport.assertPng(dir.resolve("dataset-composition.png"), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
        ReportTestSupport.assertPng(dir.resolve("fit-loss.png"), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
        ReportTestSupport.assertPng(dir.resolve("roc.png"), ChartStyle.SQUARE_W, ChartStyle.SQUARE_H);
        ReportTestSupport.assertPng(dir.resolve("calibration.png"), ChartStyle.SQUARE_W, ChartStyle.SQUARE_H);
        ReportTestSupport.assertPng(dir.resolve("confusion.png"), ChartStyle.CONFUSION_W, ChartStyle.CONFUSION_H);
        ReportTestSupport.assertPng(dir.resolve("grid-metrics.png"), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
        ReportTestSupport.assertPng(dir.resolve("sample-studies.png"), SampleGrid.WIDTH, SampleGrid.HEADER + 6 * SampleGrid.ROW);
    }

    @Test
    @Order(4)
    void reportCommandWritesTheRunReport() throws IOException {
        TinyGrid g = TinyGrid.get();
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute("report", "--run", g.gridDir.resolve("he").toString()));
        Path index = g.gridDir.resolve("he/report/index.html");
        assertTrue(out.toString().contains(index.toAbsolutePath().toString()), out.toString());
        String html = Files.readString(index);
        ReportTestSupport.assertSections(html);
        assertTrue(ReportTestSupport.assertSelfContained(html) >= 10);
        assertTrue(html.contains(g.index.contentHash()), "provenance lacks the data hash");
        assertFalse(html.contains("has changed since training"), "the filtered dataset was not recognised");
        assertTrue(html.contains("class=\"num\""), "numbers not right-aligned");
    }

    @Test
    @Order(4)
    void theRunReportShowsHeatmapsOfTheMostConfidentStudiesOfEachOutcome() throws IOException {
        TinyGrid g = TinyGrid.get();
        Path runDir = g.gridDir.resolve("he");
        Path index = ReportWriter.writeRunReport(runDir, new PrintStream(PrintStream.nullOutputStream()));
        String html = Files.readString(index);
        RunData.Evaluation ev = RunData.load(runDir, new PrintStream(PrintStream.nullOutputStream())).evaluation();
        double t = ev.result().threshold().value();
        // expected: up to PER_OUTCOME studies per outcome, two maps (pooled, LayerCAM) of each
        int expected = 0;
        for (boolean abnormal : new boolean[] {true, false}) {
            for (boolean above : new boolean[] {true, false}) {
                long members = ev.studies().stream()
                        .filter(p -> p.label().isAbnormal() == abnormal && (p.probability() > t) == above).count();
                expected += 2 * (int) Math.min(HeatmapGallery.PER_OUTCOME, members);
            }
        }
        assertTrue(expected > 0);
        List<Path> maps;
        try (Stream<Path> s = Files.list(index.getParent())) {
            maps = s.filter(p -> p.getFileName().toString().startsWith("heatmap-")).sorted().toList();
        }
        assertEquals(expected, maps.size(), maps.toString());
        for (Path map : maps) {
            BufferedImage img = ImageIO.read(map.toFile());
            assertTrue(img.getWidth() <= HeatmapGallery.MAX_SIDE && img.getHeight() <= HeatmapGallery.MAX_SIDE, map + "");
            String name = map.getFileName().toString();
            if (name.endsWith("-layercam.png")) {
                String pooled = name.replace("-layercam.png", "");
                assertTrue(Files.exists(map.resolveSibling(pooled + "-cam.png"))
                        || Files.exists(map.resolveSibling(pooled + "-grad_cam.png")), "no pooled map for " + name);
            }
        }
        assertTrue(html.contains("<h3>True positives</h3>") && html.contains("<h3>False negatives</h3>"), "outcome headings");
        assertTrue(html.contains("LayerCAM on denseblock1"), "gallery caption");
    }

    @Test
    @Order(4)
    void aGridWhoseSettingsChangedIsRefusedBeforeAnyTraining() throws IOException {
        TinyGrid g = TinyGrid.get();
        GridSpec changed = GridSpec.fromJson(Json.MAPPER.readTree(TinyGrid.GRID_JSON.replace("\"epochs\": 1", "\"epochs\": 2")), "tiny");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GridRunner(changed, g.index,
                g.gridDir, c -> c, 2, BootstrapSettings.none(), new PrintStream(PrintStream.nullOutputStream())).run());
        assertTrue(e.getMessage().contains("grid row he"), e.getMessage());
    }

    @Test
    @Order(5)
    void aRowWithACheckpointButNoEvaluationResumes() throws IOException {
        TinyGrid g = TinyGrid.get();
        Path eval = g.gridDir.resolve("xavier-head16/evaluation-valid");
        AtomicFiles.deleteRecursively(eval);
        GridSpec grid = GridSpec.fromJson(Json.MAPPER.readTree(TinyGrid.GRID_JSON), "tiny");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            new GridRunner(grid, g.index, g.gridDir, c -> c, 2, new BootstrapSettings(100, 42, 0.95), ps).run();
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("row 2/2: xavier-head16 - resuming from its checkpoint"), text);
        assertTrue(Files.isRegularFile(eval.resolve("metrics.json")));
    }
}
