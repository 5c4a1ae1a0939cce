package org.bonexray.data;

/**
 * Which patients a training run holds out when its validation split is one fold of k
 * ({@link PatientSplit#of(java.util.List, double, long, ValidationFold)}): the members of a folds ensemble each hold
 * out a different fold, so every training patient validates exactly one member.
 *
 * @param folds the number of folds, k &gt;= 2
 * @param fold the fold held out, 0-based
 */
public record ValidationFold(int folds, int fold) {

    public ValidationFold {
        if (folds < 2) {
            throw new IllegalArgumentException("a fold split needs at least 2 folds, got " + folds);
        }
        if (fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("fold " + fold + " is not one of 0.." + (folds - 1));
        }
    }

    /** The share of patients a fold holds out. */
    public double fraction() {
        return 1.0 / folds;
    }
}
