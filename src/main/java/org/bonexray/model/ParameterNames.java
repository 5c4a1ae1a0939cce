package org.bonexray.model;

import java.util.regex.Pattern;

/** Converts DJL parameter names to torchvision state-dict keys. */
public final class ParameterNames {
    private static final Pattern NUMERIC_PREFIX = Pattern.compile("^\\d+");

    private ParameterNames() {
    }

    /**
     * Removes DJL's positional prefix from a child name ({@code 05denseblock1} to {@code denseblock1}).
     *
     * @param childName a DJL child name
     * @return the name without leading digits
     */
    public static String stripPrefix(String childName) {
        return NUMERIC_PREFIX.matcher(childName).replaceFirst("");
    }
}
