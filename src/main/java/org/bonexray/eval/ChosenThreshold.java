package org.bonexray.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.bonexray.data.BodyPart;

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
 * @param perPart           thresholds of the body parts that have their own (Youden per part); every other part
 *                          uses {@code value}
 */
public record ChosenThreshold(double value, ThresholdChoice.Method method, int validationStudies,
                             Double youdenJ, String description,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<BodyPart, Double> perPart) {

    public ChosenThreshold {
        Probabilities.checkThreshold(value);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(description, "description");
        if (validationStudies < 0) {
            throw new IllegalArgumentException("validationStudies must be >= 0, got " + validationStudies);
        }
        Map<BodyPart, Double> parts = new EnumMap<>(BodyPart.class);
        if (perPart != null) {
            perPart.forEach((part, t) -> parts.put(Objects.requireNonNull(part, "body part"), Probabilities.checkThreshold(t)));
        }
        perPart = java.util.Collections.unmodifiableMap(parts);
    }

    /** One threshold for every body part. */
    public ChosenThreshold(double value, ThresholdChoice.Method method, int validationStudies, Double youdenJ,
                           String description) {
        this(value, method, validationStudies, youdenJ, description, Map.of());
    }

    /** The threshold of a body part: its own, or the overall one. */
    public double valueFor(BodyPart part) {
        return perPart.getOrDefault(part, value);
    }
}
