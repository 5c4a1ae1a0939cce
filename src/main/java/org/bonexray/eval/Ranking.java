package org.bonexray.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The threshold sweep behind ROC, AUROC and average precision: cumulative true and false positives at each
 * distinct score, from the highest score down, as scikit-learn's {@code _binary_clf_curve}.
 *
 * <p>Sorting positives and negatives apart (primitive sorts) and merging them keeps the bootstrap fast.
 */
final class Ranking {
    final double[] thresholds;
    final int[] tps;
    final int[] fps;
    final int size;

    private Ranking(double[] thresholds, int[] tps, int[] fps, int size) {
        this.thresholds = thresholds;
        this.tps = tps;
        this.fps = fps;
        this.size = size;
    }

    /** Sweeps the scores of {@code labels[i] == 1} (positives) and the others (negatives). */
    static Ranking of(double[] scores, int[] labels) {
        int positives = 0;
        for (int label : labels) {
            positives += label;
        }
        double[] pos = new double[positives];
        double[] neg = new double[scores.length - positives];
        int ip = 0;
        int in = 0;
        for (int k = 0; k < scores.length; k++) {
            if (labels[k] == 1) {
                pos[ip++] = scores[k];
            } else {
                neg[in++] = scores[k];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        return merge(pos, neg);
    }

    private static Ranking merge(double[] pos, double[] neg) {
        int n = pos.length + neg.length;
        double[] thresholds = new double[n];
        int[] tps = new int[n];
        int[] fps = new int[n];
        int i = pos.length - 1;
        int j = neg.length - 1;
        int tp = 0;
        int fp = 0;
        int size = 0;
        while (i >= 0 || j >= 0) {
            double s = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
            while (i >= 0 && pos[i] == s) {
                tp++;
                i--;
            }
            while (j >= 0 && neg[j] == s) {
                fp++;
                j--;
            }
            thresholds[size] = s;
            tps[size] = tp;
            fps[size] = fp;
            size++;
        }
        return new Ranking(thresholds, tps, fps, size);
    }

    int positives() {
        return size == 0 ? 0 : tps[size - 1];
    }

    int negatives() {
        return size == 0 ? 0 : fps[size - 1];
    }

    boolean bothClasses() {
        return positives() > 0 && negatives() > 0;
    }

    /** Trapezoidal area under the ROC points, as scikit-learn's {@code roc_auc_score}; null for one class. */
    Double auroc() {
        if (!bothClasses()) {
            return null;
        }
        double p = positives();
        double q = negatives();
        double area = 0.0;
        double prevFpr = 0.0;
        double prevTpr = 0.0;
        for (int k = 0; k < size; k++) {
            double fpr = fps[k] / q;
            double tpr = tps[k] / p;
            area += (fpr - prevFpr) * (tpr + prevTpr) / 2.0;
            prevFpr = fpr;
            prevTpr = tpr;
        }
        return area;
    }

    /**
     * Average precision as scikit-learn's {@code average_precision_score}: the sum over distinct thresholds of
     * (recall gain) x precision, without interpolation; null for one class.
     */
    Double averagePrecision() {
        if (!bothClasses()) {
            return null;
        }
        double p = positives();
        double ap = 0.0;
        double prevRecall = 0.0;
        for (int k = 0; k < size; k++) {
            double recall = tps[k] / p;
            ap += (recall - prevRecall) * tps[k] / (double) (tps[k] + fps[k]);
            prevRecall = recall;
        }
        return ap;
    }

    /** The ROC curve with its leading (0, 0) point; null for one class. */
    RocCurve roc() {
        if (!bothClasses()) {
            return null;
        }
        double p = positives();
        double q = negatives();
        List<Double> fpr = new ArrayList<>(size + 1);
        List<Double> tpr = new ArrayList<>(size + 1);
        List<Double> thr = new ArrayList<>(size + 1);
        fpr.add(0.0);
        tpr.add(0.0);
        thr.add(thresholds[0] + 1.0);
        for (int k = 0; k < size; k++) {
            fpr.add(fps[k] / q);
            tpr.add(tps[k] / p);
            thr.add(thresholds[k]);
        }
        return new RocCurve(fpr, tpr, thr);
    }
}
