package org.bonexray.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The seven upper-extremity regions of MURA, named by their folder ({@code XR_WRIST}, ...). */
public enum BodyPart {
    ELBOW, FINGER, FOREARM, HAND, HUMERUS, SHOULDER, WRIST;

    /** The folder name used in MURA's tree and CSVs, for example {@code XR_WRIST}. */
    public String folderName() {
        return "XR_" + name();
    }

    /** A short display name, for example {@code Wrist}. */
    public String displayName() {
        String n = name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** Parses {@code XR_WRIST}, {@code wrist} or {@code WRIST}; empty when it names no body part. */
    public static Optional<BodyPart> parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("XR_")) {
            t = t.substring(3);
        }
        String key = t;
        return Arrays.stream(values()).filter(p -> p.name().equals(key)).findFirst();
    }
}
