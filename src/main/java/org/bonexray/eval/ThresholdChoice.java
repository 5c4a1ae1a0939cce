package org.bonexray.eval;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the decision threshold is chosen: fixed (MURA's 0.5 by default), or by Youden's J on validation studies.
 *
 * @param method     the rule
 * @param fixedValue the threshold of {@link Method#FIXED}; ignored by {@link Method#YOUDEN}
 */
public record ThresholdChoice(Method method, double fixedValue) {

    /** The rules. */
    public enum Method { FIXED, YOUDEN }

    /** MURA's threshold: abnormal when the probability is above 0.5. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    public ThresholdChoice {
        Objects.requireNonNull(method, "method");
        Probabilities.checkThreshold(fixedValue);
    }

    public static ThresholdChoice fixed(double threshold) {
        return new ThresholdChoice(Method.FIXED, threshold);
    }

    /** The fixed 0.5 of MURA. */
    public static ThresholdChoice defaultChoice() {
        return fixed(DEFAULT_THRESHOLD);
    }

    public static ThresholdChoice youden() {
        return new ThresholdChoice(Method.YOUDEN, DEFAULT_THRESHOLD);
    }

    /**
     * Chooses the threshold; {@code validation} is read only by Youden's method and must then hold both
     * classes. Never pass the studies being evaluated, or the reported metrics are optimistic.
     */
    public ChosenThreshold choose(List<StudyPrediction> validation) {
        if (method == Method.FIXED) {
            return new ChosenThreshold(fixedValue, method, 0, null,
                    String.format(Locale.ROOT, "fixed threshold %s: abnormal when p > %s", fixedValue, fixedValue));
        }
        return youden(validation);
    }

    /**
     * Maximises J = TPR - FPR over the ROC points of the validation studies. The ROC point of score s means
     * "abnormal when p >= s"; under our rule "p > t" the same decisions come from any t between s and the
     * next lower distinct score, and the midpoint is taken so that small shifts of scores do not flip it. Ties
     * in J keep the highest threshold (the most conservative call). J is never below 0, the value of calling
     * everything normal (threshold 1).
     */
    private ChosenThreshold youden(List<StudyPrediction> validation) {
        double[] scores = validation.stream().mapToDouble(StudyPrediction::probability).toArray();
        int[] labels = validation.stream().mapToInt(s -> s.label().value()).toArray();
        if (scores.length == 0) {
            throw new IllegalArgumentException("Youden's J needs validation studies, got none");
        }
        BinaryMetrics.checkInput(scores, labels);
        Ranking r = Ranking.of(scores, labels);
        if (!r.bothClasses()) {
            throw new IllegalArgumentException("Youden's J needs normal and abnormal validation studies, got "
                    + r.positives() + " abnormal of " + scores.length);
        }
        double bestJ = 0.0;
        double threshold = 1.0;
        for (int k = 0; k < r.size - 1; k++) {
            double j = (double) r.tps[k] / r.positives() - (double) r.fps[k] / r.negatives();
            if (j > bestJ) {
                bestJ = j;
                threshold = (r.thresholds[k] + r.thresholds[k + 1]) / 2.0;
            }
        }
        String text = String.format(Locale.ROOT,
                "Youden's J on %d validation studies: threshold %.6f (J = %.4f), abnormal when p > threshold",
                scores.length, threshold, bestJ);
        return new ChosenThreshold(threshold, Method.YOUDEN, scores.length, bestJ, text);
    }
}
