package org.bonexray.model;

import org.bonexray.model.weights.TorchvisionNames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

/** The classifier: shapes, head layout, seeded initialisation, eval-mode behaviour and JSON specs. */
class AbnormalityNetTest {

    private static Map<String, Shape> headShapes(HeadSpec head) {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, TestNets.tiny(head, 1, 32));
            Map<String, Shape> shapes = new TreeMap<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                String key = TorchvisionNames.toTorchvision(p.getKey());
                if (key.startsWith("head.")) {
                    shapes.put(key, p.getValue().getArray().getShape());
                }
            }
            return shapes;
        }
    }

    @Test
    void outputIsOneLogitPerImageForEveryHead() {
        List<HeadSpec> heads = List.of(HeadSpec.linear(), HeadSpec.of(16), HeadSpec.of(24, 12, 6),
                new HeadSpec(List.of(10, 5), false, 0.0));
        for (HeadSpec head : heads) {
            try (NDManager manager = NDManager.newBaseManager()) {
                AbnormalityNet net = AbnormalityNet.initialize(manager, TestNets.tiny(head, 3, 64));
                NDArray x = manager.randomUniform(-1, 1, new Shape(3, 3, 64, 64));
                ParameterStore ps = new ParameterStore(manager, false);
                for (boolean training : new boolean[] {true, false}) {
                    NDArray out = net.forward(ps, new NDList(x), training).singletonOrThrow();
                    assertEquals(new Shape(3, 1), out.getShape(), head + " training=" + training);
                }
                assertEquals(new Shape(3, 1), net.getOutputShapes(new Shape[] {x.getShape()})[0]);
            }
        }
    }

    @Test
    void headWithoutHiddenLayersIsOneLinear() {
        assertEquals(Map.of("head.out.weight", new Shape(1, 32), "head.out.bias", new Shape(1)),
                headShapes(HeadSpec.linear()));
    }

    @Test
    void headWithOneBatchNormLayer() {
        Map<String, Shape> expected = new TreeMap<>();
        expected.put("head.fc1.weight", new Shape(16, 32));
        expected.put("head.fc1.bias", new Shape(16));
        for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
            expected.put("head.bn1." + p, new Shape(16));
        }
        expected.put("head.out.weight", new Shape(1, 16));
        expected.put("head.out.bias", new Shape(1));
        assertEquals(expected, headShapes(HeadSpec.of(16)));
    }

    @Test
    void headWithThreeLayersWithoutBatchNorm() {
        Map<String, Shape> expected = new TreeMap<>();
        expected.put("head.fc1.weight", new Shape(24, 32));
        expected.put("head.fc1.bias", new Shape(24));
        expected.put("head.fc2.weight", new Shape(12, 24));
        expected.put("head.fc2.bias", new Shape(12));
        expected.put("head.fc3.weight", new Shape(6, 12));
        expected.put("head.fc3.bias", new Shape(6));
        expected.put("head.out.weight", new Shape(1, 6));
        expected.put("head.out.bias", new Shape(1));
        assertEquals(expected, headShapes(new HeadSpec(List.of(24, 12, 6), false, 0.2)));
    }

    @Test
    void sameSpecGivesSameWeightsAndAnotherSeedDoesNot() {
        ModelSpec spec = TestNets.tiny(HeadSpec.of(8), 42, 32);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> first = TestNets.snapshot(AbnormalityNet.initialize(manager, spec));
            Map<String, float[]> second = TestNets.snapshot(AbnormalityNet.initialize(manager, spec));
            Map<String, float[]> other = TestNets.snapshot(AbnormalityNet.initialize(manager,
                    TestNets.tiny(HeadSpec.of(8), 43, 32)));
            assertEquals(first.keySet(), second.keySet());
            first.forEach((k, v) -> assertArrayEquals(v, second.get(k), k));
            assertFalse(Arrays.equals(first.get("features.conv0.weight"), other.get("features.conv0.weight")));
        }
    }

    @Test
    void heInitialisationMatchesTorchvision() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> w = TestNets.snapshot(
                    AbnormalityNet.initialize(manager, TestNets.tiny(HeadSpec.of(8), 7, 32)));
            float[] conv0 = w.get("features.conv0.weight");
            double std = Math.sqrt(Arrays.stream(toDouble(conv0)).map(v -> v * v).average().orElseThrow());
            assertEquals(Math.sqrt(2.0 / (3 * 7 * 7)), std, 0.1 * std);
            assertTrue(allEqual(w.get("features.norm0.weight"), 1f));
            assertTrue(allEqual(w.get("features.norm5.bias"), 0f));
            assertTrue(allEqual(w.get("head.fc1.bias"), 0f));
            assertTrue(allEqual(w.get("head.out.bias"), 0f));
            assertTrue(allEqual(w.get("features.norm5.running_var"), 1f));
        }
    }

    @Test
    void xavierAndNormalInitialisationsHaveTheirScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] xavier = TestNets.snapshot(AbnormalityNet.initialize(manager, new ModelSpec(
                    DenseNetVariant.TINY, HeadSpec.of(64), Initialization.XAVIER, 1, 32))).get("head.fc1.weight");
            double bound = Math.sqrt(6.0 / (32 + 64));
            double maxAbs = Arrays.stream(toDouble(xavier)).map(Math::abs).max().orElseThrow();
            assertTrue(maxAbs <= bound && maxAbs > 0.9 * bound, "max |w| " + maxAbs + " bound " + bound);
            float[] normal = TestNets.snapshot(AbnormalityNet.initialize(manager, new ModelSpec(
                    DenseNetVariant.TINY, HeadSpec.of(64), Initialization.NORMAL, 1, 32))).get("head.fc1.weight");
            double std = Math.sqrt(Arrays.stream(toDouble(normal)).map(v -> v * v).average().orElseThrow());
            assertEquals(0.01, std, 0.001);
        }
    }

    @Test
    void evalModeIsDeterministicAndBatchIndependent() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, TestNets.tiny(HeadSpec.of(16, 8), 5, 64));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray batch = manager.randomUniform(-1, 1, new Shape(4, 3, 64, 64));
            float[] batchLogits = net.forward(ps, new NDList(batch), false).singletonOrThrow().toFloatArray();
            float[] again = net.forward(ps, new NDList(batch), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(batchLogits, again);
            for (int i = 0; i < 4; i++) {
                NDArray one = batch.get(i + ":" + (i + 1));
                float alone = net.forward(ps, new NDList(one), false).singletonOrThrow().getFloat(0, 0);
                assertEquals(batchLogits[i], alone, 1e-5f, "image " + i);
            }
        }
    }

    @Test
    void featuresThenHeadEqualsTheWholeForward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, TestNets.tiny(HeadSpec.of(8), 9, 64));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(-1, 1, new Shape(2, 3, 64, 64));
            NDArray maps = net.forwardFeatures(ps, x, false);
            assertEquals(new Shape(2, 32, 2, 2), maps.getShape());
            float[] split = net.forwardFromFeatures(ps, maps, false).toFloatArray();
            float[] whole = net.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(whole, split, 1e-6f);
            assertEquals(new Shape(1, 8), net.head().outputLayer().getParameters().get("weight").getArray().getShape());
        }
    }

    @Test
    void specsRoundTripThroughJson() throws Exception {
        ModelSpec spec = new ModelSpec(DenseNetVariant.DENSENET169, new HeadSpec(List.of(512, 128), true, 0.2),
                Initialization.XAVIER, 1234567890123L, 224);
        String json = Json.MAPPER.writeValueAsString(spec);
        assertEquals(spec, Json.MAPPER.readValue(json, ModelSpec.class));
        HeadSpec defaults = Json.MAPPER.readValue("{\"hiddenWidths\":[64]}", HeadSpec.class);
        assertEquals(new HeadSpec(List.of(64), true, 0.2), defaults);
        assertEquals(DenseNetVariant.DENSENET169, DenseNetVariant.named("DenseNet169"));
    }

    @Test
    void invalidSpecsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HeadSpec.of(1, 2, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> new HeadSpec(List.of(8), true, 1.0));
        assertThrows(IllegalArgumentException.class, () -> HeadSpec.of(0));
        assertThrows(IllegalArgumentException.class, () -> TestNets.tiny(HeadSpec.linear(), 1, 16));
        assertThrows(IllegalArgumentException.class,
                () -> new DenseNetVariant("x", 8, List.of(1, 2, 3), 16, 2));
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static boolean allEqual(float[] values, float expected) {
        for (float v : values) {
            if (v != expected) {
                return false;
            }
        }
        return values.length > 0;
    }
}
