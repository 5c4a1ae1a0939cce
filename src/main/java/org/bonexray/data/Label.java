package org.bonexray.data;

import java.util.Optional;

/** A study's radiologist label; MURA encodes it as the study folder suffix and as 0/1 in the CSV. */
public enum Label {
    NORMAL("negative", 0),
    ABNORMAL("positive", 1);

    private final String folderSuffix;
    private final int value;

    Label(String folderSuffix, int value) {
        this.folderSuffix = folderSuffix;
        this.value = value;
    }

    /** The suffix of MURA's study folders: {@code study1_positive} is abnormal. */
    public String folderSuffix() {
        return folderSuffix;
    }

    /** 1 for abnormal, 0 for normal, as in {@code *_labeled_studies.csv}. */
    public int value() {
        return value;
    }

    public boolean isAbnormal() {
        return this == ABNORMAL;
    }

    public static Label of(boolean abnormal) {
        return abnormal ? ABNORMAL : NORMAL;
    }

    /** Parses a CSV label ({@code 0}/{@code 1}); empty for anything else. */
    public static Optional<Label> parseCsv(String text) {
        switch (text.trim()) {
            case "0": return Optional.of(NORMAL);
            case "1": return Optional.of(ABNORMAL);
            default: return Optional.empty();
        }
    }

    /** Reads the label a study folder name carries ({@code study1_positive}); empty when it carries none. */
    public static Optional<Label> fromStudyFolder(String folderName) {
        if (folderName.endsWith("_" + ABNORMAL.folderSuffix)) {
            return Optional.of(ABNORMAL);
        }
        if (folderName.endsWith("_" + NORMAL.folderSuffix)) {
            return Optional.of(NORMAL);
        }
        return Optional.empty();
    }
}
