package org.bonexray.data;

import java.util.Locale;

/** MURA's official splits; the test split is hidden, so everyone reports on {@code valid}. */
public enum Split {
    TRAIN, VALID;

    /** The folder and CSV prefix: {@code train} or {@code valid}. */
    public String folderName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
