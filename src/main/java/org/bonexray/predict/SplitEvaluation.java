package org.bonexray.predict;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.data.BadImagePolicy;
import java.util.Objects;
import org.bonexray.data.DataException;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.ChosenThreshold;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.ImagePrediction;
import org.bonexray.eval.PredictionCsv;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.io.AtomicFiles;
import org.bonexray.model.LoadedModel;
import org.bonexray.runtime.DeviceChoice;
import org.bonexray.runtime.Precision;

/**
 * Evaluates a saved model on one split of a dataset and writes {@code metrics.json},
 * {@code image_predictions.csv} and {@code study_predictions.csv} (each atomically) to an output folder; for an
 * ensemble also {@code study_spread.csv} and each member's metrics ({@link EnsembleEvaluation}).
 *
 * @param aggregation study probability from its images'
 * @param threshold fixed threshold, or Youden's J on the model's own held-out validation patients
 * @param bootstrap interval settings
 * @param batchSize images per inference batch
 * @param threads image decoding threads
 * @param badImages what to do with unreadable images
 * @param precision arithmetic inside the network ({@code AUTO} resolved for the model's device)
 * @param tta test-time views averaged into each image's probability
 * @param calibrate fit the temperature on the model's validation patients and save it into the model
 * @param saveThreshold save the chosen threshold(s) into the model, for {@code predict} and {@code serve}
 */
public record SplitEvaluation(StudyAggregation aggregation, ThresholdChoice threshold, BootstrapSettings bootstrap,
                              int batchSize, int threads, BadImagePolicy badImages,
                              Precision precision, TestTimeAugmentation tta, boolean calibrate, boolean saveThreshold) {

    public SplitEvaluation {
        Objects.requireNonNull(tta, "tta");
    }

    /** Without test-time augmentation, calibration or saving: the model's temperature, the given threshold. */
    public SplitEvaluation(StudyAggregation aggregation, ThresholdChoice threshold, BootstrapSettings bootstrap,
                           int batchSize, int threads, BadImagePolicy badImages, Precision precision) {
        this(aggregation, threshold, bootstrap, batchSize, threads, badImages, precision, TestTimeAugmentation.NONE,
                false, false);
    }

    /**
     * What an evaluation produced.
     *
     * @param result the metrics
     * @param skippedImages unreadable images left out, with reasons
     * @param outDir where the files went
     */
    public record Outcome(EvaluationResult result, List<String> skippedImages, Path outDir) {
    }

    public Outcome run(LoadedModel model, MuraIndex index, Split split, Path outDir, PrintStream log) {
        List<Study> studies = index.studies(split);
        if (studies.isEmpty()) {
            throw new DataException(index.root(), "no studies in the " + split.folderName() + " split");
        }
        ModelCalibration calibration = ModelCalibration.decide(this, model, index, log);
        ChosenThreshold chosen = calibration.threshold();
        ModelScoring.Scored scored = ModelScoring.score(model, index, studies, batchSize, threads, badImages, precision,
                tta, 1.0, log, "evaluate " + split.folderName());
        List<ImagePrediction> images = ModelScoring.calibrated(scored.images(), calibration.temperature());
        Evaluation evaluation = new Evaluation(aggregation, chosen, bootstrap);
        EvaluationResult result = evaluation.evaluate(images);
        List<StudyPrediction> studyPredictions = aggregation.aggregate(images);
        PredictionCsv.writeImages(outDir.resolve("image_predictions.csv"), images, chosen.value());
        PredictionCsv.writeStudies(outDir.resolve("study_predictions.csv"), studyPredictions, chosen.value());
        Map<String, Object> calibrationReport = new LinkedHashMap<>(calibration.report());
        calibrationReport.put("eceBefore", ModelCalibration.ece(aggregation.aggregate(scored.images())));
        calibrationReport.put("eceAfter", ModelCalibration.ece(aggregation.aggregate(images)));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("evaluatedAt", Instant.now().toString());
        report.put("split", split.folderName());
        report.put("dataRoot", index.root().toAbsolutePath().toString());
        report.put("dataHash", index.contentHash());
        report.put("precision", precision.resolve(model.device()).label()); // what ran, never "auto"
        report.put("device", DeviceChoice.describe(model.device()));
        report.put("tta", tta.label());
        report.put("calibration", calibrationReport);
        report.put("skippedImages", scored.skipped().lines());
        report.put("result", result);
        if (model.isEnsemble()) {
            List<List<ImagePrediction>> members = scored.members().stream()
                    .map(m -> ModelScoring.calibrated(m, calibration.temperature())).toList();
            report.put("ensemble", EnsembleEvaluation.report(model, members, studyPredictions, evaluation, outDir));
        }
        report.put("model", Map.of("dir", model.dir().toAbsolutePath().toString(), "manifest", model.manifest()));
        AtomicFiles.writeJson(outDir.resolve("metrics.json"), report);
        return new Outcome(result, scored.skipped().lines(), outDir);
    }
}
