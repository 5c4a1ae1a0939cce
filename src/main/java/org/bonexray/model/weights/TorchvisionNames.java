package org.bonexray.model.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates between DJL parameter names and torchvision state-dict keys.
 *
 * <p>DJL names a parameter by the path of child blocks that lead to it, each child prefixed with its
 * position ({@code 01features_05denseblock1_01denselayer1_01norm1_gamma}); torchvision names it by the
 * dotted module path ({@code features.denseblock1.denselayer1.norm1.weight}). The translation strips the
 * numeric prefix of every underscore-separated part, joins the parts with dots and renames DJL's
 * BatchNorm parameters (gamma, beta, runningMean, runningVar) to torch's (weight, bias, running_mean,
 * running_var). Child block names must therefore start with a letter and contain no underscore.
 *
 * <p>timm's {@code densenet*.tv_in1k} weights use the same keys as torchvision (the classifier is called
 * {@code classifier} in both), so one translation serves both sources.
 */
public final class TorchvisionNames {
    /** Suffix of the BatchNorm step counter that torch saves and DJL does not have. */
    public static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private static final Pattern NUMERIC_PREFIX = Pattern.compile("^\\d+");
    private static final Map<String, String> DJL_TO_TORCH = Map.of(
            "gamma", "weight",
            "beta", "bias",
            "runningMean", "running_mean",
            "runningVar", "running_var");
    /**
     * Old torchvision checkpoints (before 0.3) named the dense layer's modules {@code norm.1}, {@code conv.2}
     * instead of {@code norm1}, {@code conv2}; torchvision's own {@code _load_state_dict} rewrites them
     * with this same pattern, and so does timm's {@code _filter_torchvision_pretrained}.
     */
    private static final Pattern LEGACY_DENSE_LAYER = Pattern.compile(
            "^(.*denselayer\\d+\\.(?:norm|relu|conv))\\.((?:[12])\\.(?:weight|bias|running_mean|running_var))$");

    private TorchvisionNames() {
    }

    /** Returns the torchvision key of a DJL parameter name, for example {@code features.conv0.weight}. */
    public static String toTorchvision(String djlName) {
        String[] parts = djlName.split("_", -1);
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = NUMERIC_PREFIX.matcher(parts[i]).replaceFirst("");
            if (i == parts.length - 1) {
                part = DJL_TO_TORCH.getOrDefault(part, part);
            }
            if (part.isEmpty()) {
                throw new IllegalArgumentException("cannot translate DJL parameter name '" + djlName
                        + "': a part is empty once its numeric prefix is stripped (child names must start with a letter)");
            }
            if (i > 0) {
                key.append('.');
            }
            key.append(part);
        }
        return key.toString();
    }

    /**
     * Rewrites a legacy dense-layer key ({@code ...denselayer1.norm.1.weight}) to the modern form
     * ({@code ...denselayer1.norm1.weight}); any other key comes back unchanged.
     */
    public static String modernize(String key) {
        Matcher m = LEGACY_DENSE_LAYER.matcher(key);
        return m.matches() ? m.group(1) + m.group(2) : key;
    }

    /** Whether a state-dict key carries no weight that DJL keeps ({@code num_batches_tracked}). */
    public static boolean isIgnored(String key) {
        return key.equals(NUM_BATCHES_TRACKED) || key.endsWith("." + NUM_BATCHES_TRACKED);
    }

    /**
     * Returns every parameter of {@code block} by its torchvision key, in the block's order.
     *
     * @throws IllegalArgumentException if two DJL parameters translate to the same key
     */
    public static Map<String, Parameter> parametersByKey(Block block) {
        Map<String, Parameter> byKey = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            String key = toTorchvision(pair.getKey());
            Parameter previous = byKey.put(key, pair.getValue());
            if (previous != null) {
                throw new IllegalArgumentException("two DJL parameters translate to the torchvision key '" + key
                        + "'; rename the child blocks so that their names differ once numeric prefixes are stripped");
            }
        }
        return Collections.unmodifiableMap(byKey);
    }

    /**
     * Returns the DJL parameter name of each torchvision key of {@code block} (the reverse translation,
     * which needs the block because the numeric prefixes are positions in it).
     */
    public static Map<String, String> djlNamesByKey(Block block) {
        parametersByKey(block);
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            byKey.put(toTorchvision(pair.getKey()), pair.getKey());
        }
        return Collections.unmodifiableMap(byKey);
    }
}
