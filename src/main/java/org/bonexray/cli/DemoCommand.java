package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bonexray.data.BadImagePolicy;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.Split;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.SplitEvaluation;
import org.bonexray.report.ReportWriter;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainDefaults;
import org.bonexray.train.TrainingResult;
import org.bonexray.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray demo}: the whole pipeline on the bundled synthetic sample, in a few minutes. */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Generate the synthetic sample, train a small DenseNet, evaluate it per body part, write a report.",
        description = {"Makes the synthetic MURA-format sample (unless it is already there), trains the demo preset "
                + "(a tiny DenseNet at low resolution) with a patient-level validation split, then evaluates the model "
                + "on the sample's valid split at study level per body part. Training options override the preset.",
                "On real data, run the same steps yourself: bonexray train --data .../MURA-v1.1 (then evaluate).",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 bad data."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(names = "--data", defaultValue = "data/sample", paramLabel = "DIR",
            description = "Where the synthetic sample lives (generated there when absent).")
    Path data;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default: runs/demo-<date-time>).")
    Path runDir;

    @Override
    public Integer call() {
        StopSignal.install(); // SIGINT/SIGTERM stop at the next safe point (exit 130/143), not mid-step
        PrintWriter out = spec.commandLine().getOut();
        Path datasetDir = SyntheticMuraGenerator.datasetDir(data);
        if (!Files.isDirectory(datasetDir)) {
            out.println("1/3 Generating the synthetic sample in " + datasetDir.toAbsolutePath());
            out.flush();
            Progress progress = new Progress(System.err, "sample-data", SyntheticMuraGenerator.imageCount(SampleSpec.DEFAULT), "img");
            SyntheticMuraGenerator.generate(data, SampleSpec.DEFAULT, progress);
            progress.finish();
        } else {
            out.println("1/3 Using the synthetic sample in " + datasetDir.toAbsolutePath());
        }
        MuraIndex index = MuraIndexLoader.load(datasetDir, LoadOptions.STRICT);
        TrainConfig config = options.resolve(TrainDefaults.demo());
        Path dir = runDir != null ? runDir : TrainCommand.defaultRunDir("demo");
        out.printf("2/3 Training %s at %dx%d for %d epochs; run directory %s%n", config.model().variant().name(),
                config.model().inputSize(), config.model().inputSize(), config.epochs(), dir.toAbsolutePath());
        out.flush();
        TrainingResult trained = options.applyRuntimeOptions(new TrainingRun(config, index, dir, options.threads(), System.err))
                .withPretrainedSha256(options.pretrainedSha256()).run(false);
        out.println("3/3 Evaluating on the sample's valid split (study level, mean of views, threshold 0.5)");
        out.flush();
        SplitEvaluation evaluation = new SplitEvaluation(StudyAggregation.MEAN, ThresholdChoice.defaultChoice(),
                BootstrapSettings.defaults(), config.batchSize(), options.threads(), BadImagePolicy.FAIL,
                config.precision());
        try (LoadedModel model = ModelArtifact.load(trained.modelDir())) {
            SplitEvaluation.Outcome outcome = evaluation.run(model, index, Split.VALID, dir.resolve("evaluation-valid"), System.err);
            EvaluateCommand.print(outcome, out);
        }
        Path report = ReportWriter.writeRunReport(dir, System.err);
        out.println();
        out.println("Run directory: " + dir.toAbsolutePath() + " (manifest.json, history.csv, checkpoints/)");
        out.println("Model:         " + trained.modelDir().toAbsolutePath());
        out.println("Metrics:       " + dir.resolve("evaluation-valid").resolve("metrics.json").toAbsolutePath());
        out.println("Report:        " + report.toAbsolutePath() + " (open it in a browser)");
        Path someStudy = index.studies(Split.VALID).get(0).images().get(0).getParent();
        out.println("Try:           ./bonexray predict --model " + trained.modelDir() + " " + someStudy);
        out.flush();
        return ExitCodes.OK;
    }
}
