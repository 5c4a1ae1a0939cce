package org.bonexray.eval;

import java.util.Objects;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;

/**
 * A study's abnormality probability, aggregated from its images, with the study's radiologist label.
 *
 * @param studyId     the study's identifier (MURA: its folder path)
 * @param bodyPart    the study's body part
 * @param label       the radiologist label
 * @param probability the aggregated probability of "abnormal", in [0, 1]
 * @param imageCount  how many images the probability was aggregated from (at least 1)
 */
public record StudyPrediction(String studyId, BodyPart bodyPart, Label label, double probability,
                              int imageCount) {

    public StudyPrediction {
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(bodyPart, "bodyPart");
        Objects.requireNonNull(label, "label");
        Probabilities.check(probability, studyId);
        if (imageCount < 1) {
            throw new IllegalArgumentException(studyId + ": imageCount must be at least 1, got " + imageCount);
        }
    }
}
