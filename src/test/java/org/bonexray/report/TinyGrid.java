package org.bonexray.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bonexray.data.BodyPart;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.experiment.GridRunner;
import org.bonexray.experiment.GridSpec;
import org.bonexray.experiment.GridSummary;
import org.bonexray.io.Progress;

/**
 * A tiny synthetic sample and a two-row grid on it (TINY DenseNet, 1 epoch, 32 px), built once per test JVM and
 * shared by the grid, report and browser tests: the first row is run alone, then the whole grid is rerun, as an
 * interrupted grid would be.
 */
final class TinyGrid {
    static final String GRID_JSON = """
            {"name": "tiny", "preset": "demo",
             "base": {"epochs": 1, "batchSize": 8, "model.variant": {"name": "tiny", "growthRate": 8, "blockConfig": [2, 2, 2, 2], "numInitFeatures": 16, "bnSize": 2}, "model.inputSize": 32, "preprocessing.size": 32, "validationFraction": 0.3},
             "rows": [{"name": "he", "model.init": "HE"},
                      {"name": "xavier-head16", "model.init": "XAVIER", "model.head.hiddenWidths": [16]}]}
            """;

    final Path root;
    final Path gridDir;
    final MuraIndex index;
    final GridSummary firstRun;
    final GridSummary summary;
    final String secondLog;
    final long firstRowMetricsMtime;
    final long firstRowMetricsMtimeAfter;
    private static TinyGrid shared;

    private TinyGrid(Path root) throws IOException {
        this.root = root;
        SampleSpec spec = new SampleSpec(11, 3, 2, 48, 64, 0.5);
        SyntheticMuraGenerator.generate(root.resolve("data"), spec,
                new Progress(new PrintStream(PrintStream.nullOutputStream()), "sample", SyntheticMuraGenerator.imageCount(spec), "img"));
        // three body parts keep the two trainings short; the report still shows a per-body-part breakdown
        index = MuraIndexLoader.load(SyntheticMuraGenerator.datasetDir(root.resolve("data")), LoadOptions.STRICT)
                .filter(java.util.EnumSet.of(BodyPart.ELBOW, BodyPart.HAND, BodyPart.WRIST));
        gridDir = root.resolve("grid");
        GridSpec grid = GridSpec.fromJson(org.bonexray.io.Json.MAPPER.readTree(GRID_JSON), "tiny");
        GridSpec firstRowOnly = new GridSpec(grid.name(), grid.preset(), grid.base(), grid.rows().subList(0, 1));
        firstRun = runner(firstRowOnly, new PrintStream(PrintStream.nullOutputStream())).run();
        Path metrics = gridDir.resolve("he/evaluation-valid/metrics.json");
        firstRowMetricsMtime = Files.getLastModifiedTime(metrics).toMillis();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            summary = runner(grid, ps).run();
        }
        secondLog = log.toString(StandardCharsets.UTF_8);
        firstRowMetricsMtimeAfter = Files.getLastModifiedTime(metrics).toMillis();
    }

    private GridRunner runner(GridSpec grid, PrintStream log) {
        return new GridRunner(grid, index, gridDir, c -> c, 2, new BootstrapSettings(100, 42, 0.95), log);
    }

    /** The shared grid, built on first use in a temporary folder removed when the JVM exits. */
    static synchronized TinyGrid get() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("bonexray-tinygrid");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        org.bonexray.io.AtomicFiles.deleteRecursively(dir);
                    } catch (IOException ignored) {
                        // a leftover temp folder is harmless
                    }
                }));
                shared = new TinyGrid(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }
}
