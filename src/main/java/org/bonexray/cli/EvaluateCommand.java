package org.bonexray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bonexray.data.BadImagePolicy;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.PatientSplit;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.ChosenThreshold;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.MetricsTable;
import org.bonexray.eval.ModelScoring;
import org.bonexray.eval.PredictionCsv;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.io.AtomicFiles;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bonexray evaluate}: study- and image-level metrics of a model on a dataset split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Evaluate a model on a dataset split, per body part, at study and image level.",
        description = {"Prints a per-body-part table (accuracy, sensitivity, specificity, F1, Cohen's kappa, AUROC with "
                + "95% bootstrap intervals over studies) and writes metrics.json, image_predictions.csv and "
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

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "VALUE|youden",
            description = "Decision threshold, or youden to choose it by Youden's J on the model's own held-out "
                    + "validation patients (from the training split, never the evaluated studies).")
    String threshold;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples of studies for 95% intervals (0 = none).")
    int bootstrap;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per inference batch.")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", description = "Image decoding threads (0 = one per core).")
    int threads;

    @Option(names = "--skip-bad-images", description = "Skip and report unreadable images instead of stopping.")
    boolean skipBadImages;

    @Override
    public Integer call() throws Exception {
        Split evaluated = parseSplit(split);
        MuraIndex index = data.load(spec.commandLine().getErr());
        List<Study> studies = index.studies(evaluated);
        if (studies.isEmpty()) {
            throw new DataException(index.root(), "no studies in the " + evaluated.folderName() + " split");
        }
        Path out = outDir != null ? outDir : modelDir.toAbsolutePath().resolveSibling("evaluation-" + evaluated.folderName());
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        BadImagePolicy policy = skipBadImages ? BadImagePolicy.SKIP : BadImagePolicy.FAIL;
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            ChosenThreshold chosen = chooseThreshold(model, index, workers, policy);
            ModelScoring.Scored scored = ModelScoring.score(model, index, studies, batchSize, workers, policy, System.err,
                    "evaluate " + evaluated.folderName());
            Evaluation evaluation = new Evaluation(StudyAggregation.valueOf(aggregation.toUpperCase(Locale.ROOT)), chosen,
                    bootstrap > 0 ? new BootstrapSettings(bootstrap, BootstrapSettings.DEFAULT_SEED, BootstrapSettings.DEFAULT_CONFIDENCE)
                            : BootstrapSettings.none());
            EvaluationResult result = evaluation.evaluate(scored.images());
            PredictionCsv.writeImages(out.resolve("image_predictions.csv"), scored.images(), chosen.value());
            PredictionCsv.writeStudies(out.resolve("study_predictions.csv"), evaluation.aggregation().aggregate(scored.images()), chosen.value());
            AtomicFiles.writeJson(out.resolve("metrics.json"), report(result, model, index, evaluated, scored));
            PrintWriter w = spec.commandLine().getOut();
            w.println(MetricsTable.render(result));
            if (scored.skipped().count() > 0) {
                w.printf("Skipped %d unreadable image(s); listed in metrics.json.%n", scored.skipped().count());
            }
            w.println("Wrote " + out.resolve("metrics.json") + ", image_predictions.csv and study_predictions.csv");
            w.flush();
        }
        return ExitCodes.OK;
    }

    private ChosenThreshold chooseThreshold(LoadedModel model, MuraIndex index, int workers, BadImagePolicy policy) {
        if (!threshold.equalsIgnoreCase("youden")) {
            double value;
            try {
                value = Double.parseDouble(threshold);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--threshold must be a number in [0, 1] or youden, got " + threshold);
            }
            return ThresholdChoice.fixed(value).choose(List.of());
        }
        JsonNode config = model.manifest().path("config");
        if (config.isMissingNode()) {
            throw new IllegalArgumentException("--threshold youden needs the model's training manifest (its validation split)");
        }
        PatientSplit heldOut = PatientSplit.of(index.studies(Split.TRAIN), config.path("validationFraction").asDouble(),
                config.path("seed").asLong());
        if (heldOut.validation().isEmpty()) {
            throw new DataException(index.root(), "--threshold youden needs the train split, to rebuild the model's validation patients");
        }
        ModelScoring.Scored scored = ModelScoring.score(model, index, heldOut.validation(), batchSize, workers, policy,
                System.err, "threshold (validation patients)");
        return ThresholdChoice.youden().choose(StudyAggregation.valueOf(aggregation.toUpperCase(Locale.ROOT)).aggregate(scored.images()));
    }

    private static Map<String, Object> report(EvaluationResult result, LoadedModel model, MuraIndex index, Split split,
                                              ModelScoring.Scored scored) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("evaluatedAt", Instant.now().toString());
        report.put("split", split.folderName());
        report.put("dataRoot", index.root().toAbsolutePath().toString());
        report.put("dataHash", index.contentHash());
        report.put("skippedImages", scored.skipped().lines());
        report.put("result", result);
        report.put("model", Map.of("dir", model.dir().toAbsolutePath().toString(), "manifest", model.manifest()));
        return report;
    }

    static Split parseSplit(String name) {
        for (Split s : Split.values()) {
            if (s.folderName().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown split '" + name + "': expected valid or train");
    }
}
