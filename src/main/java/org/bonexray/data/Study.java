package org.bonexray.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One MURA study: a patient's radiographs of one body part, read together and labelled normal or abnormal
 * by a radiologist. The label belongs to the study; every view inherits it.
 *
 * @param id the study's path below the dataset root, for example {@code train/XR_WRIST/patient00001/study1_positive}
 * @param split the official split the study belongs to
 * @param bodyPart the body part
 * @param patientId the patient folder name, for example {@code patient00001}
 * @param label the radiologist's label
 * @param images the study's image files (absolute paths), in the order MURA lists them
 */
public record Study(String id, Split split, BodyPart bodyPart, String patientId, Label label, List<Path> images) {

    public Study {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(bodyPart, "bodyPart");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(label, "label");
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("study " + id + " has no images");
        }
    }

    /** The study folder name, for example {@code study1_positive}. */
    public String studyName() {
        return id.substring(id.lastIndexOf('/') + 1);
    }

    /** The same study with fewer images (used when some listed images are absent). */
    public Study withImages(List<Path> kept) {
        return new Study(id, split, bodyPart, patientId, label, kept);
    }
}
