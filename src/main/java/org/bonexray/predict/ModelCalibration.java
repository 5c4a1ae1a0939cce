package org.bonexray.predict;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.PatientSplit;
import org.bonexray.data.Split;
import org.bonexray.data.ValidationFold;
import org.bonexray.eval.BinaryMetrics;
import org.bonexray.eval.ChosenThreshold;
import org.bonexray.eval.ImagePrediction;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.model.Ensembles;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;

/**
 * What an evaluation decides on the model's own held-out validation patients (rebuilt from its training manifest,
 * never the evaluated studies): the temperature (fitted by {@link Temperature} when asked, else the model's) and the
 * decision threshold (Youden's J on the calibrated validation studies when asked), optionally saved into the model's
 * {@code model.json} so that {@code predict} and {@code serve} use them.
 *
 * @param temperature the temperature the evaluation applies
 * @param threshold the threshold the evaluation applies
 * @param report what metrics.json records under {@code calibration}
 */
public record ModelCalibration(double temperature, ChosenThreshold threshold, Map<String, Object> report) {

    /**
     * Decides temperature and threshold.
     *
     * @param evaluation the settings (threshold rule, calibrate, save, tta, batch sizes)
     * @param model the model
     * @param index the dataset (its train split holds the model's validation patients)
     * @param log progress
     * @return the decisions
     */
    static ModelCalibration decide(SplitEvaluation evaluation, LoadedModel model, MuraIndex index, PrintStream log) {
        ModelArtifact.Description saved = model.description();
        Map<String, Object> report = new LinkedHashMap<>();
        if (!evaluation.threshold().tuned() && !evaluation.calibrate()) {
            ChosenThreshold fixed = evaluation.threshold().choose(List.of());
            report.put("temperature", saved.temperature());
            report.put("source", "model");
            save(evaluation, model, saved.temperature(), fixed, report, log);
            return new ModelCalibration(saved.temperature(), fixed, report);
        }
        List<ImagePrediction> raw = validationImages(evaluation, model, index, log);
        double temperature = evaluation.calibrate() ? fit(raw) : saved.temperature();
        List<ImagePrediction> calibrated = ModelScoring.calibrated(raw, temperature);
        StudyAggregation aggregation = evaluation.aggregation();
        ChosenThreshold chosen = evaluation.threshold().choose(aggregation.aggregate(calibrated));
        report.put("temperature", temperature);
        report.put("source", evaluation.calibrate() ? "fitted on the model's validation patients" : "model");
        report.put("validationImages", raw.size());
        report.put("validationEceBefore", ece(aggregation.aggregate(raw)));
        report.put("validationEceAfter", ece(aggregation.aggregate(calibrated)));
        if (evaluation.calibrate() && !evaluation.saveThreshold() && hasTunedThresholds(saved)) {
            log.println("warning: the model's saved thresholds were chosen on uncalibrated probabilities; choose them "
                    + "again with --threshold youden|youden-per-part --save-threshold");
        }
        save(evaluation, model, temperature, chosen, report, log);
        return new ModelCalibration(temperature, chosen, report);
    }

    /** The study-level expected calibration error ({@link BinaryMetrics#ece()}), null without studies. */
    static Double ece(List<StudyPrediction> studies) {
        if (studies.isEmpty()) {
            return null;
        }
        double[] scores = studies.stream().mapToDouble(StudyPrediction::probability).toArray();
        int[] labels = studies.stream().mapToInt(s -> s.label().value()).toArray();
        return BinaryMetrics.compute(scores, labels, ThresholdChoice.DEFAULT_THRESHOLD).ece();
    }

    private static double fit(List<ImagePrediction> raw) {
        return Temperature.fit(raw.stream().mapToDouble(ImagePrediction::probability).toArray(),
                raw.stream().mapToInt(i -> i.label().value()).toArray());
    }

    private static boolean hasTunedThresholds(ModelArtifact.Description d) {
        return !d.partThresholds().isEmpty() || d.threshold() != ThresholdChoice.DEFAULT_THRESHOLD;
    }

    /** The raw (temperature 1) image predictions of the model's validation patients, with the evaluation's views. */
    private static List<ImagePrediction> validationImages(SplitEvaluation evaluation, LoadedModel model, MuraIndex index,
                                                          PrintStream log) {
        var config = model.isEnsemble() ? model.manifest().path(Ensembles.VALIDATION_SPLIT)
                : model.manifest().path("config");
        if (config.isMissingNode()) {
            throw new IllegalArgumentException(model.isEnsemble()
                    ? "a tuned threshold or a calibration of an ensemble needs validation patients no member trained on; "
                    + "its members were not trained on one shared validation split (same data, validation fraction, "
                    + "seed and fold; a folds ensemble's members each held out other patients), so give a fixed "
                    + "--threshold"
                    : "a tuned threshold or a calibration needs the model's training manifest (its validation split)");
        }
        PatientSplit heldOut = PatientSplit.of(index.studies(Split.TRAIN), config.path("validationFraction").asDouble(),
                config.path("seed").asLong(), validationFold(config));
        if (heldOut.validation().isEmpty()) {
            throw new DataException(index.root(), "a tuned threshold or a calibration needs the train split, to rebuild "
                    + "the model's validation patients");
        }
        return ModelScoring.score(model, index, heldOut.validation(), evaluation.batchSize(), evaluation.threads(),
                evaluation.badImages(), evaluation.precision(), evaluation.tta(), 1.0, log,
                "validation patients").images();
    }

    /** The fold a run held out ({@code train --ensemble-split folds}), null when it held out a fraction. */
    private static ValidationFold validationFold(JsonNode config) {
        JsonNode fold = config.path("validationFold");
        return fold.isObject() ? new ValidationFold(fold.path("folds").asInt(), fold.path("fold").asInt()) : null;
    }

    /** Writes the temperature and/or threshold into model.json when the evaluation asked for it. */
    private static void save(SplitEvaluation evaluation, LoadedModel model, double temperature, ChosenThreshold chosen,
                             Map<String, Object> report, PrintStream log) {
        if (!evaluation.calibrate() && !evaluation.saveThreshold()) {
            return;
        }
        ModelArtifact.Description d = ModelArtifact.readDescription(model.dir());
        String how = d.calibration();
        if (evaluation.calibrate()) {
            how = String.format(Locale.ROOT, "temperature %.4f fitted by NLL on %s validation images (tta %s)",
                    temperature, report.get("validationImages"), evaluation.tta().label());
            d = d.withTemperature(temperature, how);
        }
        if (evaluation.saveThreshold()) {
            how = (how == null ? "" : how + "; ") + "threshold: " + chosen.description();
            d = d.withThresholds(chosen.value(), chosen.perPart(), how);
        }
        ModelArtifact.writeDescription(model.dir(), d);
        report.put("savedInModel", true);
        log.println("saved into " + model.dir().resolve("model.json") + ": " + how);
    }
}
