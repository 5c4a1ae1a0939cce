package org.bonexray.eval;

import java.util.Objects;

/**
 * The complete, immutable outcome of an evaluation; written to {@code metrics.json} as is (field names are
 * part of the file format).
 *
 * @param aggregation how image probabilities became study probabilities
 * @param threshold   the decision threshold and its provenance (the same threshold serves both levels)
 * @param bootstrap   how the intervals were resampled
 * @param imageLevel  metrics of image predictions (every image carries its study's label)
 * @param studyLevel  metrics of study predictions, MURA's level of evaluation
 */
public record EvaluationResult(StudyAggregation aggregation, ChosenThreshold threshold,
                               BootstrapSettings bootstrap, LevelResult imageLevel, LevelResult studyLevel) {

    public EvaluationResult {
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(imageLevel, "imageLevel");
        Objects.requireNonNull(studyLevel, "studyLevel");
    }
}
