package org.bonexray.model.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.model.weights.format.RawTensor;
import org.bonexray.model.weights.format.StateDict;

/**
 * Brings the keys of a state dict to torchvision's DenseNet names, saying what it did: DataParallel's
 * {@code module.} prefixes are stripped; when no key starts with {@code features.} but exactly one prefix such as
 * a LightningModule's {@code model.} leads to {@code features.conv0.weight}, the keys under it are taken without
 * it and the others left out (they belong to other modules: losses, EMA copies); torchvision's legacy dense-layer
 * keys are modernised; and a stem convolution over one grey channel (torchxrayvision's) is spread over the three
 * identical channels bonexray feeds, each with a third of the weight, which gives the same response.
 */
public final class KeyMapping {
    static final String STEM = "features.conv0.weight";
    private static final String DATA_PARALLEL = "module.";

    private KeyMapping() {
    }

    /** The state dict under torchvision's keys, its notes extended with each step taken. */
    public static StateDict toTorchvision(StateDict weights) {
        List<String> notes = new ArrayList<>();
        Map<String, RawTensor> tensors = new LinkedHashMap<>(weights.tensors());
        tensors = stripDataParallel(tensors, notes);
        tensors = takeModelPrefix(tensors, notes);
        tensors = modernize(tensors, notes);
        RawTensor stem = tensors.get(STEM);
        if (stem != null && stem.shape().length == 4 && stem.shape()[1] == 1) {
            tensors.put(STEM, spreadOverRgb(stem));
            notes.add(STEM + " has 1 input channel; spread over 3 identical channels, a third of the weight each "
                    + "(the same response to a grey image)");
        }
        return weights.with(tensors.values(), notes);
    }

    private static Map<String, RawTensor> stripDataParallel(Map<String, RawTensor> tensors, List<String> notes) {
        Map<String, RawTensor> out = tensors;
        int stripped = 0;
        while (!out.isEmpty() && out.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL))) {
            out = rekey(out, DATA_PARALLEL);
            stripped++;
        }
        if (stripped > 0) {
            notes.add("stripped DataParallel's prefix '" + DATA_PARALLEL + "'" + (stripped > 1 ? " " + stripped + " times" : ""));
        }
        return out;
    }

    private static Map<String, RawTensor> takeModelPrefix(Map<String, RawTensor> tensors, List<String> notes) {
        if (tensors.keySet().stream().anyMatch(k -> k.startsWith("features.")) ) {
            return tensors;
        }
        List<String> prefixes = tensors.keySet().stream().filter(k -> k.endsWith("." + STEM))
                .map(k -> k.substring(0, k.length() - STEM.length())).distinct().toList();
        if (prefixes.size() != 1) {
            return tensors;
        }
        String prefix = prefixes.get(0);
        List<String> outside = tensors.keySet().stream().filter(k -> !k.startsWith(prefix)).toList();
        Map<String, RawTensor> inside = new LinkedHashMap<>(tensors);
        inside.keySet().removeAll(outside);
        notes.add("took the keys under '" + prefix + "' without that prefix" + (outside.isEmpty() ? ""
                : "; left out " + outside.size() + " keys of other modules: " + ImportReport.abbreviate(outside)));
        return rekey(inside, prefix);
    }

    private static Map<String, RawTensor> modernize(Map<String, RawTensor> tensors, List<String> notes) {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        int renamed = 0;
        for (RawTensor t : tensors.values()) {
            String key = TorchvisionNames.modernize(t.key());
            renamed += key.equals(t.key()) ? 0 : 1;
            if (out.put(key, key.equals(t.key()) ? t : t.withKey(key)) != null) {
                throw new IllegalArgumentException("the key '" + key + "' appears twice (legacy and modern names?)");
            }
        }
        if (renamed > 0) {
            notes.add("renamed " + renamed + " legacy dense-layer keys (norm.1 -> norm1, as torchvision does)");
        }
        return out;
    }

    private static Map<String, RawTensor> rekey(Map<String, RawTensor> tensors, String prefix) {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> {
            String key = k.substring(prefix.length());
            out.put(key, t.withKey(key));
        });
        return out;
    }

    /** [out, 1, kh, kw] to [out, 3, kh, kw] with each channel holding a third of the grey weight. */
    static RawTensor spreadOverRgb(RawTensor stem) {
        long[] s = stem.shape();
        float[] grey = stem.toFloats();
        int plane = (int) (s[2] * s[3]);
        float[] rgb = new float[grey.length * 3];
        for (int o = 0; o < s[0]; o++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    rgb[(o * 3 + c) * plane + i] = grey[o * plane + i] / 3f;
                }
            }
        }
        long[] shape = Arrays.copyOf(s, 4);
        shape[1] = 3;
        return RawTensor.ofFloats(STEM, shape, rgb);
    }
}
