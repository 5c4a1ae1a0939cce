package org.bonexray.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bonexray.data.BadImagePolicy;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.MetricsTable;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.io.StopSignal;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.SplitEvaluation;
import org.bonexray.report.ReportWriter;
import org.bonexray.runtime.EngineFacts;
import org.bonexray.runtime.Precision;
import org.bonexray.score.ScoreInputs;
import org.bonexray.score.ScoreJob;
import org.bonexray.score.ScoreSettings;
import org.bonexray.score.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray evaluate}: study- and image-level metrics of a model on a dataset split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Evaluate a model on a dataset split, per body part, at study and image level.",
        description = {"Prints a per-body-part table (accuracy, sensitivity, specificity, F1, Cohen's kappa, AUROC with "
                + "95%% bootstrap intervals over studies) and writes metrics.json, image_predictions.csv and "
                + "study_predictions.csv to --out.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 bad data."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Option(names = "--split", defaultValue = "valid", description = "Split to evaluate: valid (MURA's public test) or train.")
    String split;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: evaluation-<split> beside the model).")
    Path outDir;

    @Option(names = "--aggregation", defaultValue = "mean", description = "Study probability from its images': mean (MURA) or max.")
    String aggregation;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "VALUE|youden|youden-per-part",
            description = "Decision threshold, or youden to choose it by Youden's J on the model's own held-out "
                    + "validation patients (from the training split, never the evaluated studies), or "
                    + "youden-per-part for one threshold per body part with enough of those patients.")
    String threshold;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples of studies for 95%% intervals (0 = none).")
    int bootstrap;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per inference batch.")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", description = "Image decoding threads (0 = one per core).")
    int threads;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = "Arithmetic inside the network: auto (bf16 where the device has bf16 units, else fp32), "
                    + "fp32, or bf16 (probabilities within 1e-2 of fp32's).")
    String precision;

    @Mixin
    DeviceOption device;

    @Mixin
    TtaOption tta;

    @Option(names = "--calibrate",
            description = "Fit a temperature (sigmoid(logit / T)) on the model's own held-out validation patients, save it "
                    + "into the model's model.json (predict and serve then use it) and evaluate with it; metrics.json "
                    + "reports the ECE before and after.")
    boolean calibrate;

    @Option(names = "--save-threshold",
            description = "Save the threshold this evaluation chose (--threshold, per body part with youden-per-part) "
                    + "into the model's model.json, for predict and serve.")
    boolean saveThreshold;

    @Option(names = "--skip-bad-images", description = "Skip and report unreadable images instead of stopping.")
    boolean skipBadImages;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
            description = "local: this process; spark: a Spark job (as bonexray score --evaluate; the same metrics, "
                    + "with the per-image, per-study and error tables in --out; fixed thresholds only).")
    String engine;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "local[N]",
            description = "With --engine spark: the embedded Spark master (ignored under spark-submit).")
    String master;

    @Option(names = "--report", description = "Write the model's run report (RUN_DIR/report/index.html) with these results.")
    boolean report;

    @Override
    public Integer call() throws Exception {
        StopSignal.install(); // SIGINT/SIGTERM stop at the next safe point (exit 130/143), not mid-step
        Split evaluated = parseSplit(split);
        Device[] devices = device.resolve();
        MuraIndex index = data.load(spec.commandLine().getErr());
        Path out = outDir != null ? outDir : modelDir.toAbsolutePath().resolveSibling("evaluation-" + evaluated.folderName());
        if (engine.equalsIgnoreCase("spark")) {
            return onSpark(index, evaluated, out, devices[0]);
        } else if (!engine.equalsIgnoreCase("local")) {
            throw new UsageException("unknown --engine '" + engine + "': expected local or spark");
        }
        try (LoadedModel model = ModelArtifact.load(modelDir, devices[0])) {
            SplitEvaluation evaluation = evaluation();
            System.err.println(EngineFacts.startLine(devices, evaluation.precision()));
            SplitEvaluation.Outcome outcome = evaluation.run(model, index, evaluated, out, System.err);
            print(outcome, spec.commandLine().getOut());
        }
        if (report) {
            Path runDir = modelDir.toAbsolutePath().getParent();
            spec.commandLine().getOut().println("Report: " + ReportWriter.writeRunReport(runDir, System.err));
        }
        return ExitCodes.OK;
    }

    /** The same evaluation as a Spark job, computed from its output by the same metrics code. */
    private int onSpark(MuraIndex index, Split evaluated, Path out, Device device) {
        ThresholdChoice choice = thresholdChoice();
        if (calibrate || saveThreshold) {
            throw new UsageException("--engine spark scores without --calibrate or --save-threshold (it applies a "
                    + "temperature already saved in the model): run those locally");
        }
        if (choice.tuned()) {
            throw new UsageException("--engine spark takes a fixed --threshold (a Youden threshold needs the model's "
                    + "validation patients scored first: run evaluate --threshold youden locally, or pass its value)");
        }
        ScoreSettings settings = ScoreCommand.settings(modelDir.toString(), device, precision, aggregation,
                choice.choose(List.of()).value(), batchSize, 0, out.toString(), false, true, master,
                !SparkSessions.isLocal(SparkSessions.effectiveMaster(master)), ScoreCommand.bootstrap(bootstrap),
                tta.resolve());
        System.err.println(EngineFacts.startLine(new Device[] {device}, settings.precision()));
        ScoreJob.Outcome outcome = ScoreCommand.run(settings, spark -> ScoreInputs.fromIndex(spark, index, evaluated));
        PrintWriter w = spec.commandLine().getOut();
        w.println(MetricsTable.render(outcome.evaluation()));
        if (outcome.errors() > 0) {
            w.printf("Left out %d unreadable image(s); listed in %s/errors.%n", outcome.errors(), out);
        }
        w.println("Wrote " + out.resolve("metrics.json") + " and the images, studies and errors tables (Parquet)");
        w.flush();
        return ExitCodes.OK;
    }

    private ThresholdChoice thresholdChoice() {
        return UsageException.of(() -> ThresholdChoice.parse(threshold));
    }

    SplitEvaluation evaluation() {
        ThresholdChoice choice = thresholdChoice();
        BootstrapSettings settings = ScoreCommand.bootstrap(bootstrap);
        return new SplitEvaluation(UsageException.of(() -> StudyAggregation.parse(aggregation)), choice, settings,
                batchSize, threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
                skipBadImages ? BadImagePolicy.SKIP : BadImagePolicy.FAIL, UsageException.of(() -> Precision.parse(precision)),
                tta.resolve(), calibrate, saveThreshold);
    }

    static void print(SplitEvaluation.Outcome outcome, PrintWriter w) {
        w.println(MetricsTable.render(outcome.result()));
        if (!outcome.skippedImages().isEmpty()) {
            w.printf("Skipped %d unreadable image(s); listed in metrics.json.%n", outcome.skippedImages().size());
        }
        w.println("Wrote " + outcome.outDir().resolve("metrics.json") + ", image_predictions.csv and study_predictions.csv");
        w.flush();
    }

    static Split parseSplit(String name) {
        for (Split s : Split.values()) {
            if (s.folderName().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new UsageException("unknown split '" + name + "': expected valid or train");
    }
}
