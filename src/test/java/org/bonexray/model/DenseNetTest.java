package org.bonexray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.Map;
import java.util.TreeMap;
import org.bonexray.model.weights.TorchvisionNames;
import org.junit.jupiter.api.Test;

/** Structure, parameter names and counts of the torchvision-shaped DenseNets. */
class DenseNetTest {

    private static Map<String, Shape> initializedShapes(Block block, int size) {
        try (NDManager manager = NDManager.newBaseManager()) {
            block.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            Map<String, Shape> shapes = new TreeMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                shapes.put(TorchvisionNames.toTorchvision(p.getKey()), p.getValue().getArray().getShape());
            }
            return shapes;
        }
    }

    /** Counts like torch's sum(p.numel() for p in model.parameters()): running statistics are buffers. */
    private static long countTrainable(Block block) {
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                total += p.getValue().getArray().getShape().size();
            }
        }
        return total;
    }

    private static long count(DenseNetVariant variant) {
        Block block = TestNets.torchvisionClassifier(variant, 1000);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
            return countTrainable(block);
        }
    }

    @Test
    void parameterCountsMatchTorchvision() {
        assertEquals(7_978_856L, count(DenseNetVariant.DENSENET121));
        assertEquals(14_149_480L, count(DenseNetVariant.DENSENET169));
        assertEquals(20_013_928L, count(DenseNetVariant.DENSENET201));
    }

    @Test
    void numFeaturesFollowsTheBlockConfig() {
        assertEquals(1024, DenseNetVariant.DENSENET121.numFeatures());
        assertEquals(1664, DenseNetVariant.DENSENET169.numFeatures());
        assertEquals(1920, DenseNetVariant.DENSENET201.numFeatures());
        assertEquals(32, DenseNetVariant.TINY.numFeatures());
    }

    @Test
    void parameterNamesAreTorchvisionKeys() {
        Map<String, Shape> shapes = initializedShapes(TestNets.torchvisionClassifier(DenseNetVariant.DENSENET169, 1000), 64);
        assertEquals(new Shape(32, 128, 3, 3), shapes.get("features.denseblock4.denselayer32.conv2.weight"));
        assertEquals(new Shape(64, 3, 7, 7), shapes.get("features.conv0.weight"));
        assertEquals(new Shape(1664), shapes.get("features.norm5.running_var"));
        assertEquals(new Shape(640, 1280, 1, 1), shapes.get("features.transition3.conv.weight"));
        assertEquals(new Shape(1000, 1664), shapes.get("classifier.weight"));
        assertEquals(new Shape(1000), shapes.get("classifier.bias"));
        // torchvision's state dict has 5 entries per BatchNorm but num_batches_tracked, which DJL does not keep.
        long norms = shapes.keySet().stream().filter(k -> k.endsWith("running_mean")).count();
        assertEquals(1 + 2 * 82 + 3 + 1, norms);
        assertTrue(shapes.keySet().stream().allMatch(k -> k.startsWith("features.") || k.startsWith("classifier.")));
    }

    @Test
    void rawDjlNamesCarryPositionalPrefixes() {
        Block block = DenseNet.features(DenseNetVariant.TINY);
        assertTrue(block.getParameters().keys().contains("05denseblock1_01denselayer1_01norm1_gamma"),
                block.getParameters().keys().toString());
    }

    @Test
    void featuresHaveTheExpectedOutputShape() {
        Block block = DenseNet.features(DenseNetVariant.TINY);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.setInitializer(new NormalInitializer(0.05f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 64, 64));
            NDArray x = manager.randomUniform(-1, 1, new Shape(2, 3, 64, 64));
            NDArray out = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, 32, 2, 2), out.getShape());
            assertEquals(new Shape(2, 32, 2, 2), block.getOutputShapes(new Shape[] {x.getShape()})[0]);
        }
    }
}
