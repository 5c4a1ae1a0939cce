package org.bonexray.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DataException;
import org.bonexray.data.InputBatches;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.MemberSpread;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.model.LoadedModel;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.runtime.Precision;

/**
 * Predicts studies with a loaded model: each view's probability, and the study's by the {@link StudyAggregation}
 * (MURA's mean unless told otherwise), abnormal when above the model's threshold. A view that cannot be decoded is
 * reported with its reason and left out of the study's probability; it never costs the other views. Views go
 * through the network as one channels-last batch ({@link InputBatches}) run by the same {@link ForwardPass} as
 * evaluation, so a study's probability here equals its probability in {@code evaluate}: the mean over the test-time
 * views ({@link AugmentedInference}), then the model's temperature. The threshold is the caller's, else the model's
 * own for the study's body part when it is known and has one, else the model's overall one. Not thread-safe: one
 * per thread. An ensemble's probability of a view is the mean of its members' (then the temperature), and its study
 * results carry the members' spread ({@link MemberSpread}).
 */
public final class StudyPredictor implements AutoCloseable {
    private final LoadedModel model;
    private final ForwardPass pass;
    private final Double thresholdOverride;
    private final StudyAggregation aggregation;
    private final TestTimeAugmentation tta;

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
     * @param probability the readable views' probabilities aggregated, null when none was readable
     * @param abnormal whether the probability is above the threshold
     * @param threshold the decision threshold used
     * @param images every view, in input order
     * @param spread how far an ensemble's members disagree on the study; null for a single network or when no view
     *     was readable
     */
    public record StudyResult(String study, Double probability, boolean abnormal, double threshold, List<ImageResult> images,
                              @JsonInclude(JsonInclude.Include.NON_NULL) MemberSpread spread) {
        /** A single network's result (no spread). */
        public StudyResult(String study, Double probability, boolean abnormal, double threshold, List<ImageResult> images) {
            this(study, probability, abnormal, threshold, images, null);
        }

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
     * @param precision arithmetic inside the network ({@code AUTO} resolved for the model's device)
     * @param aggregation how a study's probability follows from its views'
     */
    public StudyPredictor(LoadedModel model, Double thresholdOverride, Precision precision, StudyAggregation aggregation) {
        this(model, thresholdOverride, precision, aggregation, TestTimeAugmentation.NONE);
    }

    /**
     * @param model the model; it must outlive the predictor
     * @param thresholdOverride decision threshold for every body part, or null for the model's own (per body part
     *     where it has them and the part is known)
     * @param precision arithmetic inside the network ({@code AUTO} resolved for the model's device)
     * @param aggregation how a study's probability follows from its views'
     * @param tta the test-time views averaged into each view's probability
     */
    public StudyPredictor(LoadedModel model, Double thresholdOverride, Precision precision, StudyAggregation aggregation,
                          TestTimeAugmentation tta) {
        this.model = model;
        this.pass = ForwardPass.of(precision, model.device());
        this.thresholdOverride = thresholdOverride;
        this.aggregation = aggregation;
        this.tta = tta;
    }

    /** @return the arithmetic inside the network, resolved */
    public Precision precision() {
        return pass.precision();
    }

    /** @return the threshold of a study of unknown body part */
    public double threshold() {
        return threshold(null);
    }

    /** @return the threshold of a study of this body part (null: unknown) */
    public double threshold(BodyPart part) {
        return thresholdOverride != null ? thresholdOverride : model.description().thresholdFor(part);
    }

    /** @return the test-time views averaged into each probability */
    public TestTimeAugmentation tta() {
        return tta;
    }

    /** Predicts the views of one study of unknown body part in one batch. */
    public StudyResult predict(String study, List<View> views) {
        return predict(study, null, views);
    }

    /** Predicts the views of one study in one batch, with its body part's threshold (null: unknown). */
    public StudyResult predict(String study, BodyPart part, List<View> views) {
        List<GrayImage> readable = views.stream().filter(v -> v.image() != null).map(View::image).toList();
        return result(study, part, views, readable.isEmpty() ? null : scores(readable));
    }

    /**
     * A study's result from its readable views' probabilities, computed by {@link #probabilities} (perhaps in a
     * batch shared with other studies' views).
     *
     * @param study the study's name
     * @param views every view, readable or not, in input order
     * @param probabilities one per readable view, in the order the readable views appear
     * @return the study's result
     */
    public StudyResult result(String study, List<View> views, List<Double> probabilities) {
        return result(study, null, views, probabilities);
    }

    /** The same as {@link #result(String, List, List)} with the threshold of the study's body part (null: unknown). */
    public StudyResult result(String study, BodyPart part, List<View> views, List<Double> probabilities) {
        return result(study, part, views, probabilities, null);
    }

    /**
     * A study's result from its readable views' scores, computed by {@link #scores} (perhaps in a batch shared with
     * other studies' views); an ensemble's result carries its members' spread.
     *
     * @param scores one per readable view, in order; null when no view was readable
     */
    public StudyResult result(String study, BodyPart part, List<View> views, ViewScores scores) {
        if (scores == null || scores.size() == 0) {
            return result(study, part, views, List.of(), null);
        }
        MemberSpread spread = model.isEnsemble() ? MemberSpread.of(scores.members(), aggregation) : null;
        return result(study, part, views, scores.probabilities(), spread);
    }

    private StudyResult result(String study, BodyPart part, List<View> views, List<Double> probabilities,
                               MemberSpread spread) {
        double threshold = threshold(part);
        List<ImageResult> results = new ArrayList<>();
        int next = 0;
        for (View v : views) {
            results.add(v.image() == null ? new ImageResult(v.name(), null, v.error())
                    : new ImageResult(v.name(), probabilities.get(next++), null));
        }
        if (next != probabilities.size()) {
            throw new IllegalArgumentException(probabilities.size() + " probabilities for " + next + " readable views");
        }
        Double p = probabilities.isEmpty() ? null
                : aggregation.combine(probabilities.stream().mapToDouble(Double::doubleValue).toArray());
        return new StudyResult(study, p, p != null && p > threshold, threshold, results, p == null ? null : spread);
    }

    /**
     * @param images decoded views, of one study or several
     * @return each view's probability of abnormality, in order, from one batch through the network
     */
    public List<Double> probabilities(List<GrayImage> images) {
        return scores(images).probabilities();
    }

    /** The model's and each member's probabilities of decoded views, from one batch through each member. */
    public ViewScores scores(List<GrayImage> images) {
        return scores(InputBatches.pixels(model.description().preprocessing(), images), images.size());
    }

    /**
     * The same as {@link #probabilities(List)} for views already preprocessed (the web service preprocesses on its
     * request threads and runs the network on its batcher's).
     *
     * @param nchw {@code count} images as the model's {@link org.bonexray.data.image.Preprocessing#toChw} writes them
     * @param count images in the batch
     * @return each view's probability of abnormality, in order
     */
    public List<Double> probabilities(float[] nchw, int count) {
        return scores(nchw, count).probabilities();
    }

    /**
     * The same as {@link #probabilities(float[], int)} with each member's probabilities beside the model's.
     *
     * @param nchw {@code count} images as the model's preprocessing writes them
     * @param count images in the batch
     * @return the scores: the members' mean then the temperature, and each member's with the same temperature
     */
    public ViewScores scores(float[] nchw, int count) {
        return ViewScores.of(AugmentedInference.members(pass, model, tta, nchw, count), model.description().temperature());
    }

    @Override
    public void close() {
        pass.close();
    }
}
