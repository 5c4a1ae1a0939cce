package org.bonexray.eval;

import java.util.Objects;

/**
 * Every metric of one set of binary predictions: abnormal (1) versus normal (0), decided by
 * {@code probability > threshold} (a probability equal to the threshold is called normal, so MURA's rule is
 * threshold 0.5).
 *
 * <p>Conventions, chosen to equal scikit-learn 1.2 (checked against it by the tests' fixtures):
 * <ul>
 *   <li>sensitivity, specificity, precision and F1 are 0 when their denominator is 0 ({@code zero_division=0});</li>
 *   <li>{@code kappa} is null when expected agreement is 1 (truth and decisions both constant and equal), where
 *       scikit-learn returns NaN;</li>
 *   <li>{@code auroc}, {@code averagePrecision} and {@code roc} are null when only one class is present (where
 *       scikit-learn raises or warns); ties count one half in AUROC, as in the trapezoidal rule;</li>
 *   <li>{@code brier} is the mean of (p - y)^2;</li>
 *   <li>{@code ece}, the expected calibration error: the scores fall into 10 equal-width bins over [0, 1]
 *       (bin min(floor(10 p), 9), so 1.0 falls into the last one); ECE is the sum over non-empty bins of
 *       (bin count / n) x |fraction of positives in the bin - mean score in the bin|.</li>
 * </ul>
 *
 * @param n         number of predictions
 * @param positives number of abnormal truths
 * @param threshold the decision threshold
 * @param confusion the confusion matrix
 */
public record BinaryMetrics(int n, int positives, double threshold, ConfusionMatrix confusion,
                            double accuracy, double sensitivity, double specificity, double precision,
                            double f1, Double kappa, Double auroc, Double averagePrecision,
                            double brier, double ece, RocCurve roc) {

    /** Number of equal-width bins of the expected calibration error. */
    public static final int ECE_BINS = 10;

    public BinaryMetrics {
        Objects.requireNonNull(confusion, "confusion");
        if (n < 1 || positives < 0 || positives > n || confusion.total() != n) {
            throw new IllegalArgumentException("inconsistent counts: n=" + n + ", positives=" + positives
                    + ", confusion total=" + confusion.total());
        }
    }

    /**
     * Computes all metrics.
     *
     * @param scores    probabilities of "abnormal", each in [0, 1]
     * @param labels    truths, each 0 or 1, aligned with {@code scores}
     * @param threshold decision threshold in [0, 1]; abnormal when score > threshold
     * @throws IllegalArgumentException for empty or misaligned input, or values out of range
     */
    public static BinaryMetrics compute(double[] scores, int[] labels, double threshold) {
        checkInput(scores, labels);
        Probabilities.checkThreshold(threshold);
        return compute(scores, labels, ConfusionMatrix.of(scores, labels, threshold), threshold);
    }

    /**
     * Computes all metrics with a threshold per prediction (per body part): the decisions use each one's own, the
     * ranking metrics the scores alone.
     *
     * @param thresholds one per score, each in [0, 1]
     * @param reported the threshold the result names (the overall one)
     */
    public static BinaryMetrics compute(double[] scores, int[] labels, double[] thresholds, double reported) {
        checkInput(scores, labels);
        Probabilities.checkThreshold(reported);
        for (double t : thresholds) {
            Probabilities.checkThreshold(t);
        }
        return compute(scores, labels, ConfusionMatrix.of(scores, labels, thresholds), reported);
    }

    private static BinaryMetrics compute(double[] scores, int[] labels, ConfusionMatrix cm, double threshold) {
        Ranking ranking = Ranking.of(scores, labels);
        return new BinaryMetrics(scores.length, ranking.positives(), threshold, cm,
                cm.accuracy(), cm.sensitivity(), cm.specificity(), cm.precision(), cm.f1(), cm.kappa(),
                ranking.auroc(), ranking.averagePrecision(), brier(scores, labels), ece(scores, labels),
                ranking.roc());
    }

    static void checkInput(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("no predictions to evaluate");
        }
        for (int i = 0; i < scores.length; i++) {
            Probabilities.check(scores[i], "score " + i);
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + i + " must be 0 or 1, got " + labels[i]);
            }
        }
    }

    static double brier(double[] scores, int[] labels) {
        double sum = 0.0;
        for (int i = 0; i < scores.length; i++) {
            double d = scores[i] - labels[i];
            sum += d * d;
        }
        return sum / scores.length;
    }

    static double ece(double[] scores, int[] labels) {
        int[] count = new int[ECE_BINS];
        double[] scoreSum = new double[ECE_BINS];
        double[] positiveSum = new double[ECE_BINS];
        for (int i = 0; i < scores.length; i++) {
            int bin = Math.min((int) Math.floor(scores[i] * ECE_BINS), ECE_BINS - 1);
            count[bin]++;
            scoreSum[bin] += scores[i];
            positiveSum[bin] += labels[i];
        }
        double ece = 0.0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (count[b] > 0) {
                double gap = Math.abs(positiveSum[b] / count[b] - scoreSum[b] / count[b]);
                ece += (double) count[b] / scores.length * gap;
            }
        }
        return ece;
    }
}
