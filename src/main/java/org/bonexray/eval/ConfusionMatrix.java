package org.bonexray.eval;

/**
 * Counts of a binary decision against the truth; "positive" is abnormal.
 *
 * <p>The ratio methods follow scikit-learn's {@code zero_division=0}: a ratio whose denominator is zero is 0.
 * They are plain methods, not record components, so they are not written to JSON twice.
 */
public record ConfusionMatrix(int tp, int fp, int tn, int fn) {

    public ConfusionMatrix {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("negative count in " + tp + "/" + fp + "/" + tn + "/" + fn);
        }
    }

    /**
     * Counts the decisions {@code score > threshold} (abnormal) against the 0/1 labels; a score equal to the
     * threshold counts as normal, as MURA's "abnormal when p > 0.5".
     */
    public static ConfusionMatrix of(double[] scores, int[] labels, double threshold) {
        return of(scores, labels, i -> threshold);
    }

    /** As {@link #of(double[], int[], double)} with a threshold per prediction (per body part, say). */
    public static ConfusionMatrix of(double[] scores, int[] labels, double[] thresholds) {
        if (thresholds.length != scores.length) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + scores.length + " scores");
        }
        return of(scores, labels, i -> thresholds[i]);
    }

    private static ConfusionMatrix of(double[] scores, int[] labels, java.util.function.IntToDoubleFunction threshold) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] > threshold.applyAsDouble(i);
            if (labels[i] == 1) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    public int total() {
        return tp + fp + tn + fn;
    }

    public double accuracy() {
        return ratio(tp + tn, total());
    }

    /** Recall of the abnormal class, tp / (tp + fn); 0 without positives. */
    public double sensitivity() {
        return ratio(tp, tp + fn);
    }

    /** Recall of the normal class, tn / (tn + fp); 0 without negatives. */
    public double specificity() {
        return ratio(tn, tn + fp);
    }

    /** tp / (tp + fp); 0 when nothing is predicted abnormal. */
    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** 2 tp / (2 tp + fp + fn), equal to the harmonic mean of precision and recall; 0 when tp = 0. */
    public double f1() {
        return ratio(2.0 * tp, 2.0 * tp + fp + fn);
    }

    /**
     * Cohen's kappa of the decisions against the truth, computed as scikit-learn's {@code cohen_kappa_score}
     * (1 - observed disagreement / expected disagreement); null when the expected disagreement is 0, which
     * happens exactly when truth and decisions are both constant and equal: scikit-learn returns NaN there.
     */
    public Double kappa() {
        double n = total();
        double predictedNormal = tn + fn;
        double predictedAbnormal = fp + tp;
        double trueNormal = tn + fp;
        double trueAbnormal = fn + tp;
        double expected = predictedNormal * trueAbnormal / n + predictedAbnormal * trueNormal / n;
        if (n == 0 || expected == 0.0) {
            return null;
        }
        return 1.0 - (fp + fn) / expected;
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0.0 : numerator / denominator;
    }
}
