package org.bonexray.predict;

import org.bonexray.model.LoadedModel;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.runtime.Precision;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.runtime.ChannelsLast;
import org.bonexray.data.DataException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.Preprocessing;

/**
 * Predicts studies with a loaded model: each view's probability, and the study's as the mean of its views'
 * (MURA's rule), abnormal when above the model's threshold. A view that cannot be decoded is reported with
 * its reason and left out of the mean; it never costs the other views. The views of a study go through the
 * network as one channels-last batch, preprocessed by the model's own {@link Preprocessing} and run by the same
 * {@link ForwardPass} as evaluation, so a study's probability here equals its probability in {@code evaluate}.
 * Not thread-safe: one per thread.
 */
public final class StudyPredictor implements AutoCloseable {
    private final LoadedModel model;
    private final ForwardPass pass;
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

    /**
     * @param model the model; it must outlive the predictor
     * @param thresholdOverride decision threshold, or null for the model's own
     * @param precision arithmetic inside the network
     */
    public StudyPredictor(LoadedModel model, Double thresholdOverride, Precision precision) {
        this.model = model;
        this.pass = ForwardPass.of(precision);
        this.threshold = thresholdOverride != null ? thresholdOverride : model.description().threshold();
    }

    public double threshold() {
        return threshold;
    }

    /** Predicts the views of one study in one batch. */
    public StudyResult predict(String study, List<View> views) {
        List<GrayImage> readable = views.stream().filter(v -> v.image() != null).map(View::image).toList();
        List<Double> probabilities = readable.isEmpty() ? List.of() : probabilities(readable);
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

    private List<Double> probabilities(List<GrayImage> images) {
        Preprocessing preprocessing = model.description().preprocessing();
        int n = images.size();
        int perImage = preprocessing.floatsPerImage();
        float[] pixels = new float[n * perImage];
        for (int i = 0; i < n; i++) {
            preprocessing.toChw(images.get(i), pixels, i * perImage);
        }
        int s = preprocessing.size();
        try (NDManager batch = model.model().getNDManager().newSubManager()) {
            NDList input = new NDList(ChannelsLast.fromNchw(batch, pixels, new Shape(n, Preprocessing.CHANNELS, s, s)));
            float[] logits = pass.forward(model.net(), input, false).singletonOrThrow().toFloatArray();
            List<Double> out = new ArrayList<>(n);
            for (float logit : logits) {
                out.add(DatasetInference.sigmoid(logit));
            }
            return out;
        }
    }

    @Override
    public void close() {
        pass.close();
    }
}
