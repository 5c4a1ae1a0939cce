package org.bonexray.model;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.DataException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;

/**
 * Predicts studies with a loaded model: each view's probability, and the study's as the mean of its views'
 * (MURA's rule), abnormal when above the model's threshold. A view that cannot be decoded is reported with
 * its reason and left out of the mean; it never costs the other views. Not thread-safe: one per thread.
 */
public final class StudyPredictor implements AutoCloseable {
    private final Predictor<GrayImage, Double> predictor;
    private final double threshold;

    /**
     * One view's outcome.
     *
     * @param name file name or path of the view
     * @param probability probability of abnormality, null when the view could not be read
     * @param error why the view could not be read, null otherwise
     */
    public record ImageResult(String name, Double probability, String error) {
    }

    /**
     * One study's outcome.
     *
     * @param study the study's name (its folder, or what the caller named it)
     * @param probability mean of the readable views' probabilities, null when none was readable
     * @param abnormal whether the probability is above the threshold
     * @param threshold the decision threshold used
     * @param images every view, in input order
     */
    public record StudyResult(String study, Double probability, boolean abnormal, double threshold, List<ImageResult> images) {
        public boolean hasErrors() {
            return images.stream().anyMatch(i -> i.error() != null);
        }
    }

    /** A view to predict: its name and the decoded image, or the error that prevented decoding. */
    public record View(String name, GrayImage image, String error) {
        public static View of(Path file) {
            try {
                return new View(file.toString(), ImageDecoder.decode(file), null);
            } catch (DataException e) {
                return new View(file.toString(), null, e.getMessage());
            }
        }
    }

    public StudyPredictor(LoadedModel model, Double thresholdOverride) {
        this.predictor = model.model().newPredictor(new RadiographTranslator(model.description().preprocessing()));
        this.threshold = thresholdOverride != null ? thresholdOverride : model.description().threshold();
    }

    public double threshold() {
        return threshold;
    }

    /** Predicts the views of one study in one batch. */
    public StudyResult predict(String study, List<View> views) {
        List<GrayImage> readable = views.stream().filter(v -> v.image() != null).map(View::image).toList();
        List<Double> probabilities;
        try {
            probabilities = readable.isEmpty() ? List.of() : predictor.batchPredict(readable);
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed for study " + study + ": " + e.getMessage(), e);
        }
        List<ImageResult> results = new ArrayList<>();
        int next = 0;
        double sum = 0;
        for (View v : views) {
            if (v.image() == null) {
                results.add(new ImageResult(v.name(), null, v.error()));
            } else {
                double p = probabilities.get(next++);
                sum += p;
                results.add(new ImageResult(v.name(), p, null));
            }
        }
        Double mean = readable.isEmpty() ? null : sum / readable.size();
        return new StudyResult(study, mean, mean != null && mean > threshold, threshold, results);
    }

    @Override
    public void close() {
        predictor.close();
    }
}
