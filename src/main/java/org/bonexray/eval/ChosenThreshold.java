package org.bonexray.eval;

import java.util.Objects;

/**
 * The decision threshold an evaluation used and how it was chosen; a study or image is called abnormal when
 * its probability is strictly greater than {@code value}.
 *
 * @param value             the threshold, in [0, 1]
 * @param method            how it was chosen
 * @param validationStudies for a tuned threshold, how many studies it was tuned on; 0 for a fixed one
 * @param youdenJ           for Youden's method, the J statistic (sensitivity + specificity - 1) reached on the
 *                          validation studies; null otherwise
 * @param description       one readable sentence of provenance
 */
public record ChosenThreshold(double value, ThresholdChoice.Method method, int validationStudies,
                             Double youdenJ, String description) {

    public ChosenThreshold {
        Probabilities.checkThreshold(value);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(description, "description");
        if (validationStudies < 0) {
            throw new IllegalArgumentException("validationStudies must be >= 0, got " + validationStudies);
        }
    }
}
