package org.bonexray.data.sample;

import java.util.Locale;

/** The kinds of abnormality the synthetic sample draws; each is recorded with its bounding box. */
public enum FindingType {
    /** A dark jagged line across a bone with the far fragment slightly displaced. */
    FRACTURE,
    /** A very bright plate with screws along a bone shaft. */
    HARDWARE,
    /** A round lucent (dark) or sclerotic (bright) blob inside a bone. */
    LESION;

    /** The name written in {@code findings.csv}, for example {@code fracture}. */
    public String csvName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
