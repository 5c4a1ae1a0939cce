package org.bonexray.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.bonexray.data.BadImagePolicy;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.SplitEvaluation;
import org.bonexray.runtime.DeviceChoice;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainingRun;

/**
 * Runs an experiment grid: each row is trained in {@code GRID_DIR/<row>/} by {@link TrainingRun} and evaluated on
 * the valid split (study level, mean of views, threshold 0.5, bootstrap intervals) into
 * {@code GRID_DIR/<row>/evaluation-valid/}. The summary table is rewritten after each row.
 *
 * <p>Resumable: a row whose {@code metrics.json} exists is skipped, a row with a checkpoint continues from it,
 * any other row starts; so rerunning an interrupted grid finishes it.
 */
public final class GridRunner {
    /** The evaluation folder inside a row's directory. */
    public static final String EVALUATION_DIR = "evaluation-valid";
    /** The grid's resolved rows, written when the grid starts. */
    public static final String GRID_FILE = "grid.json";

    private final GridSpec spec;
    private final MuraIndex index;
    private final Path gridDir;
    private final UnaryOperator<TrainConfig> overrides;
    private final int threads;
    private final BootstrapSettings bootstrap;
    private final PrintStream log;

    /**
     * @param spec the grid
     * @param index the dataset (train split for training, valid split for evaluation)
     * @param gridDir the grid directory
     * @param overrides applied to every row's configuration last (the command line's training options)
     * @param threads image decoding threads
     * @param bootstrap bootstrap settings of the evaluation intervals
     * @param log progress and training output
     */
    public GridRunner(GridSpec spec, MuraIndex index, Path gridDir, UnaryOperator<TrainConfig> overrides, int threads,
                      BootstrapSettings bootstrap, PrintStream log) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.index = Objects.requireNonNull(index, "index");
        this.gridDir = Objects.requireNonNull(gridDir, "gridDir");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.threads = threads;
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The configuration a row trains with: preset, base, row, then the overrides. */
    public TrainConfig config(GridRow row) {
        return overrides.apply(spec.rowConfig(row));
    }

    /** Runs (or finishes) every row and returns the summary, also written to the grid directory. */
    public GridSummary run() {
        List<TrainConfig> configs = spec.rows().stream().map(this::config).toList(); // fail before any training
        for (int i = 0; i < configs.size(); i++) {
            checkSameConfig(spec.rows().get(i), configs.get(i));
        }
        writeGridFile(configs);
        int n = spec.rows().size();
        for (int i = 0; i < n; i++) {
            GridRow row = spec.rows().get(i);
            Path rowDir = gridDir.resolve(row.name());
            if (Files.exists(metricsFile(rowDir))) {
                log.printf("row %d/%d: %s - already evaluated, skipped%n", i + 1, n, row.name());
                continue;
            }
            boolean resuming = Files.isDirectory(rowDir.resolve("checkpoints"));
            log.printf("row %d/%d: %s - %s%n", i + 1, n, row.name(), resuming ? "resuming from its checkpoint" : "starting");
            log.flush();
            runRow(configs.get(i), row, rowDir, earlierSameTraining(configs, i));
            summary().write(gridDir);
        }
        GridSummary summary = summary();
        summary.write(gridDir);
        return summary;
    }

    /** A finished row is only skipped when it was trained with the configuration the grid asks for now. */
    private void checkSameConfig(GridRow row, TrainConfig config) {
        Path manifest = gridDir.resolve(row.name()).resolve("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            return;
        }
        try {
            JsonNode saved = Json.MAPPER.readTree(manifest.toFile()).path("config");
            // through text, as the manifest went: a tree built from the record holds longs where the file reads ints
            // and with --precision auto resolved as the row's run resolves it: manifests record what ran
            TrainConfig asRun = config.withPrecision(config.precision().resolve(DeviceChoice.AUTO.resolve()[0]));
            JsonNode now = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(asRun));
            if (!saved.equals(now)) {
                throw new IllegalArgumentException("grid row " + row.name() + " in " + gridDir + " was trained with another "
                        + "configuration than the grid now gives it; use another grid directory (--out) for changed "
                        + "settings. Saved: " + saved + ", now: " + now);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    /**
     * The directory of the first earlier row trained with the same configuration, or null: a row that differs only in
     * its evaluation (test-time augmentation) evaluates that row's model instead of training the same one again.
     */
    private Path earlierSameTraining(List<TrainConfig> configs, int row) {
        JsonNode mine = Json.MAPPER.valueToTree(configs.get(row));
        for (int j = 0; j < row; j++) {
            if (Json.MAPPER.valueToTree(configs.get(j)).equals(mine)) {
                return gridDir.resolve(spec.rows().get(j).name());
            }
        }
        return null;
    }

    private void runRow(TrainConfig config, GridRow row, Path rowDir, Path trainedBy) {
        Path modelDir;
        if (trainedBy != null) {
            log.printf("%s trains as %s did: evaluating its model%n", row.name(), trainedBy.getFileName());
            modelDir = trainedBy.resolve("model");
        } else {
            modelDir = new TrainingRun(config, index, rowDir, threads, log).run(true).modelDir();
        }
        SplitEvaluation evaluation = new SplitEvaluation(StudyAggregation.MEAN, ThresholdChoice.defaultChoice(), bootstrap,
                config.batchSize(), threads, config.badImages() == null ? BadImagePolicy.FAIL : config.badImages(),
                config.precision(), row.tta(), false, false);
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            evaluation.run(model, index, Split.VALID, rowDir.resolve(EVALUATION_DIR), log);
        }
    }

    /** The table as the grid directory holds it now. */
    public GridSummary summary() {
        return summaryOf(spec, gridDir);
    }

    /** The table of a grid as {@code gridDir} holds it: evaluated rows with their results, others pending. */
    public static GridSummary summaryOf(GridSpec spec, Path gridDir) {
        List<GridSummary.Entry> entries = new ArrayList<>();
        for (GridRow row : spec.rows()) {
            Path metrics = metricsFile(gridDir.resolve(row.name()));
            GroupResult study = Files.exists(metrics) ? readResult(metrics).studyLevel().overall() : null;
            entries.add(new GridSummary.Entry(row.name(), row.describe(), study));
        }
        return new GridSummary(spec.name(), entries);
    }

    static Path metricsFile(Path rowDir) {
        return rowDir.resolve(EVALUATION_DIR).resolve("metrics.json");
    }

    /** Reads the {@code result} of an evaluation's {@code metrics.json}. */
    public static EvaluationResult readResult(Path metricsJson) {
        try {
            JsonNode root = Json.MAPPER.readTree(metricsJson.toFile());
            return Json.MAPPER.treeToValue(root.path("result"), EvaluationResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metricsJson + ": " + e.getMessage(), e);
        }
    }

    private void writeGridFile(List<TrainConfig> configs) {
        var root = spec.toJson();
        var resolved = root.putArray("resolved");
        for (int i = 0; i < configs.size(); i++) {
            var r = resolved.addObject();
            r.put("name", spec.rows().get(i).name());
            r.set("config", Json.MAPPER.valueToTree(configs.get(i)));
        }
        AtomicFiles.writeJson(gridDir.resolve(GRID_FILE), root);
    }
}
