package org.bonexray.data;

/**
 * What can be wrong in a MURA-format tree. Entries that are merely absent (a partial copy) are allowed by
 * {@code --present-only}; entries that are wrong are allowed, and left out, by {@code --skip-invalid}.
 */
public enum IssueKind {
    LISTED_STUDY_MISSING(true, "study listed in the CSV but its folder is not on disk"),
    LISTED_IMAGE_MISSING(true, "image listed in the CSV but not on disk"),
    LABEL_CONTRADICTS_FOLDER(false, "CSV label contradicts the folder suffix"),
    UNLISTED_IMAGE(false, "image on disk that the CSV does not list"),
    UNLISTED_STUDY(false, "study folder on disk that the CSV does not list"),
    UNKNOWN_BODY_PART(false, "unknown body part (expected XR_ELBOW, XR_FINGER, XR_FOREARM, XR_HAND, XR_HUMERUS, XR_SHOULDER or XR_WRIST)"),
    EMPTY_STUDY(false, "study without any image"),
    STUDY_WITHOUT_LABEL(false, "study without a label (not in the labeled-studies CSV, or folder without _positive/_negative)"),
    MALFORMED_ENTRY(false, "malformed CSV line or path"),
    DUPLICATE_ENTRY(false, "listed more than once");

    private final boolean absence;
    private final String description;

    IssueKind(boolean absence, String description) {
        this.absence = absence;
        this.description = description;
    }

    /** True when the issue only says that part of the dataset is not on disk. */
    public boolean isAbsence() {
        return absence;
    }

    public String description() {
        return description;
    }
}
