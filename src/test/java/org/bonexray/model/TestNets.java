package org.bonexray.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bonexray.model.weights.TorchvisionNames;

/** Small helpers shared by the model tests. */
public final class TestNets {
    private TestNets() {
    }

    /**
     * torchvision's whole classifier: features, ReLU, global average pool, Linear {@code classifier}, to compare
     * with torchvision's outputs and to read its weight files.
     */
    public static NamedSequentialBlock torchvisionClassifier(DenseNetVariant variant, int numClasses) {
        return new NamedSequentialBlock()
                .add("features", DenseNet.features(variant))
                .add("relu", Activation.reluBlock())
                .add("pool", Pool.globalAvgPool2dBlock())
                .add("classifier", Linear.builder().setUnits(numClasses).build());
    }

    public static ModelSpec tiny(HeadSpec head, long seed, int size) {
        return new ModelSpec(DenseNetVariant.TINY, head, Initialization.HE, seed, size);
    }

    /** Copies every parameter's values, keyed by torchvision name. */
    public static Map<String, float[]> snapshot(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.put(TorchvisionNames.toTorchvision(p.getKey()), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    /** Copies every gradient-taking parameter's gradient, keyed by torchvision name. */
    public static Map<String, float[]> gradients(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (p.getValue().requiresGradient()) {
                values.put(TorchvisionNames.toTorchvision(p.getKey()), array.getGradient().toFloatArray());
            }
        }
        return values;
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ");
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
