package org.bonexray.data.sample;

import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;
import org.bonexray.data.Split;

/**
 * One study to draw: where it goes in the tree, its label and number of views; {@code index} numbers all
 * studies of the sample from 0 and seeds the study's own random generator.
 */
record StudyPlan(int index, Split split, BodyPart bodyPart, int patient, int study, Label label, int views) {

    /** The study folder relative to the dataset root's parent, with MURA's trailing slash. */
    String studyPath() {
        return "MURA-v1.1/" + split.folderName() + "/" + bodyPart.folderName() + "/" + patientFolder() + "/study"
                + study + "_" + label.folderSuffix() + "/";
    }

    /** The path of view {@code n} (1-based), as written in {@code *_image_paths.csv}. */
    String imagePath(int n) {
        return studyPath() + "image" + n + ".png";
    }

    String patientFolder() {
        return String.format("patient%05d", patient);
    }
}
