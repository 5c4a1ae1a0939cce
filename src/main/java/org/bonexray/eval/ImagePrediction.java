package org.bonexray.eval;

import java.util.Objects;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;

/**
 * A model's abnormality probability for one image, with the ground truth of the study the image belongs to.
 *
 * @param imagePath   the image's path as the dataset names it (for example {@code MURA-v1.1/valid/...png})
 * @param studyId     the study the image belongs to; images of one study share it
 * @param bodyPart    the study's body part
 * @param label       the study's radiologist label (MURA labels studies, and every image inherits it)
 * @param probability the predicted probability of "abnormal", in [0, 1]
 */
public record ImagePrediction(String imagePath, String studyId, BodyPart bodyPart, Label label,
                              double probability) {

    public ImagePrediction {
        Objects.requireNonNull(imagePath, "imagePath");
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(bodyPart, "bodyPart");
        Objects.requireNonNull(label, "label");
        Probabilities.check(probability, imagePath);
    }
}
