package org.bonexray.eval;

import java.util.List;

/**
 * The receiver operating characteristic as scikit-learn's {@code roc_curve(drop_intermediate=False)} (1.2):
 * one point per distinct score, thresholds decreasing, each point meaning "abnormal when score >= threshold",
 * and a first point (0, 0) at threshold max score + 1 (scikit-learn 1.3 and later put +infinity there,
 * which JSON cannot hold).
 *
 * @param fpr        false positive rates, increasing from 0 to 1
 * @param tpr        true positive rates, increasing from 0 to 1
 * @param thresholds the score thresholds, decreasing
 */
public record RocCurve(List<Double> fpr, List<Double> tpr, List<Double> thresholds) {

    public RocCurve {
        fpr = List.copyOf(fpr);
        tpr = List.copyOf(tpr);
        thresholds = List.copyOf(thresholds);
        if (fpr.size() != tpr.size() || fpr.size() != thresholds.size() || fpr.isEmpty()) {
            throw new IllegalArgumentException("ROC arrays must be non-empty and of one length, got "
                    + fpr.size() + "/" + tpr.size() + "/" + thresholds.size());
        }
    }

    /** The number of points. */
    public int size() {
        return thresholds.size();
    }
}
