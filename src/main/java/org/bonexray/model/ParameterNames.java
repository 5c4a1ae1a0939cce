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

    /**
     * The torchvision key of a DJL parameter name.
     *
     * <p>{@code 01features_05denseblock1_01denselayer1_01norm1_gamma} becomes
     * {@code features.denseblock1.denselayer1.norm1.weight}; gamma, beta, runningMean and runningVar map to
     * weight, bias, running_mean and running_var. Our child names contain no underscore, which makes the
     * split unambiguous.
     *
     * @param djlName the name as in {@code Block.getParameters()}
     * @return the torchvision key
     */
    public static String torchKey(String djlName) {
        String[] parts = djlName.split("_");
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            key.append(stripPrefix(parts[i])).append('.');
        }
        return key.append(torchParameter(parts[parts.length - 1])).toString();
    }

    private static String torchParameter(String djlParameter) {
        switch (djlParameter) {
            case "gamma":
                return "weight";
            case "beta":
                return "bias";
            case "runningMean":
                return "running_mean";
            case "runningVar":
                return "running_var";
            default:
                return djlParameter;
        }
    }
}
