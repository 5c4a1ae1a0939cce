package org.bonexray.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseBlock;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.ModelSpec;
import org.bonexray.model.NamedSequentialBlock;
import org.bonexray.model.TestNets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dense blocks' one-call kernel gives the DJL blocks' outputs, running statistics and gradients bit for bit, in
 * fp32 and bf16, for both memory layouts, with frozen layers and recomputed passes.
 */
class DenseBlockKernelTest {
    /** A linear head: no dropout, so two training passes can be compared. */
    private static final ModelSpec SPEC = TestNets.tiny(HeadSpec.linear(), 21, 64);
    private static DenseBlockKernel kernel;
    private static Bfloat16Casts casts;
    private static ForwardPass bf16;

    @BeforeAll
    static void load() {
        kernel = DenseBlockKernel.load();
        casts = Bfloat16Casts.load(Device.cpu());
        bf16 = ForwardPass.of(Precision.BF16);
    }

    @AfterAll
    static void close() {
        kernel.close();
        casts.close();
        bf16.close();
    }

    /** A network whose batch norms do something: random scales, shifts and running statistics. */
    private static AbnormalityNet net(NDManager manager) {
        AbnormalityNet net = AbnormalityNet.initialize(manager, SPEC);
        Random random = new Random(5);
        for (Pair<String, Parameter> p : net.getParameters()) {
            Parameter parameter = p.getValue();
            NDArray array = parameter.getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            switch (parameter.getType()) {
                case GAMMA, RUNNING_VAR -> fill(values, () -> 0.5f + random.nextFloat());
                case BETA, RUNNING_MEAN -> fill(values, () -> (float) random.nextGaussian() * 0.3f);
                default -> {
                    continue;
                }
            }
            array.set(values);
        }
        return net;
    }

    private static void fill(float[] values, java.util.function.Supplier<Float> next) {
        for (int i = 0; i < values.length; i++) {
            values[i] = next.get();
        }
    }

    private static NDArray input(NDManager manager, boolean channelsLast) {
        float[] pixels = manager.randomUniform(-1, 1, new Shape(3, 3, 64, 64)).toFloatArray();
        Shape shape = new Shape(3, 3, 64, 64);
        return channelsLast ? ChannelsLast.fromNchw(manager, pixels, shape) : manager.create(pixels, shape);
    }

    @Test
    void givesTheBlocksOwnOutputsBitForBitInBothLayouts() {
        for (boolean channelsLast : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                AbnormalityNet net = net(manager);
                ParameterStore ps = new ParameterStore(manager, false);
                NDList x = new NDList(input(manager, channelsLast));
                float[] blocks = ForwardPass.withoutGradients(
                        () -> net.forward(ps, x, false).singletonOrThrow().toFloatArray());
                float[] oneCall = ForwardPass.withoutGradients(
                        () -> net.forward(ps, x, false, new ForwardContext(kernel, false).asParams()).singletonOrThrow().toFloatArray());
                assertArrayEquals(blocks, oneCall, 0f, "channels last: " + channelsLast);
                assertTrue(TestNets.maxAbsDiff(blocks, new float[blocks.length]) > 0, "all-zero logits prove nothing");
            }
        }
    }

    /** The DJL blocks in bf16 as {@link ForwardPass} ran them before the kernel: fp32 logits. */
    private static NDArray blocksInBfloat16(AbnormalityNet net, NDArray x, boolean training) {
        NDArray out = net.forward(new MixedPrecisionStore(x.getManager(), casts, null),
                new NDList(casts.toBfloat16(x, training)), training).singletonOrThrow();
        return casts.toFloat32(out, training);
    }

    @Test
    void forwardPassInferenceIsTheBlocksArithmeticInBfloat16Too() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = net(manager);
            NDArray x = input(manager, true);
            float[] blocks = ForwardPass.withoutGradients(
                    () -> blocksInBfloat16(net, x, false).toFloatArray());
            float[] pass = bf16.forward(net, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(blocks, pass, 0f);
            float[] fp32 = ForwardPass.withoutGradients(() -> net.forward(new ParameterStore(manager, false),
                    new NDList(x), false).singletonOrThrow().toFloatArray());
            assertNotEquals(0f, TestNets.maxAbsDiff(fp32, pass), "the bf16 pass ran in fp32");
        }
    }

    /** One training forward and backward; returns the logits, every gradient and every running statistic. */
    private static Map<String, float[]> trainingStep(AbnormalityNet net, NDArray x, PairList<String, Object> params) {
        Map<String, float[]> seen = new TreeMap<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = net.forward(new ParameterStore(x.getManager(), false), new NDList(x), true, params)
                    .singletonOrThrow();
            seen.put("logits", logits.toFloatArray());
            collector.backward(logits.square().sum());
        }
        TestNets.gradients(net).forEach((name, gradient) -> seen.put("gradient " + name, gradient));
        TestNets.snapshot(net).forEach((name, value) -> {
            if (name.contains("running")) {
                seen.put(name, value);
            }
        });
        return seen;
    }

    private static void assertBitForBit(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertArrayEquals(expected.get(key), actual.get(key), 0f, key);
        }
    }

    @Test
    void trainsAsTheBlocksDoFrozenLayersAndRecomputationIncluded() {
        for (boolean channelsLast : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                AbnormalityNet blocks = net(manager);
                AbnormalityNet oneCall = net(manager);
                for (AbnormalityNet net : List.of(blocks, oneCall)) {
                    // The first dense layer is frozen: its batch norms use (and keep) their running statistics.
                    NamedSequentialBlock block = (NamedSequentialBlock) net.features().child("denseblock1").orElseThrow();
                    block.child("denselayer1").orElseThrow().freezeParameters(true);
                }
                NDArray x = input(manager, channelsLast);
                Map<String, float[]> expected = trainingStep(blocks, x, null);
                assertTrue(expected.keySet().stream().anyMatch(k -> k.contains("denselayer2.conv2.weight")));
                assertFalse(expected.keySet().stream().anyMatch(k -> k.contains("gradient features.denseblock1.denselayer1.")));
                assertBitForBit(expected, trainingStep(oneCall, x, new ForwardContext(kernel, false).asParams()));

                // A recomputed pass normalises with the batch's statistics again and leaves the running ones.
                Map<String, float[]> before = TestNets.snapshot(oneCall);
                NDArray again = ForwardPass.withoutGradients(() -> oneCall.features().forward(
                        new ParameterStore(manager, false), new NDList(x), true, new ForwardContext(kernel, true).asParams()).singletonOrThrow());
                NDArray first = ForwardPass.withoutGradients(() -> blocks.features().forward(
                        new ParameterStore(manager, false), new NDList(x), true, new ForwardContext(null, true).asParams())
                        .singletonOrThrow());
                assertArrayEquals(first.toFloatArray(), again.toFloatArray(), 0f);
                assertBitForBit(before, TestNets.snapshot(oneCall));
            }
        }
    }

    @Test
    void trainsInBfloat16AsTheMixedPrecisionBlocksDo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet blocks = net(manager);
            AbnormalityNet oneCall = net(manager);
            NDArray x = input(manager, true);
            float[] expected;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = blocksInBfloat16(blocks, x, true);
                expected = logits.toFloatArray();
                collector.backward(logits.square().sum());
            }
            float[] actual;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = bf16.forward(oneCall, new NDList(x), true).singletonOrThrow();
                actual = logits.toFloatArray();
                collector.backward(logits.square().sum());
            }
            assertArrayEquals(expected, actual, 0f);
            Map<String, float[]> gradients = TestNets.gradients(oneCall);
            TestNets.gradients(blocks).forEach((name, gradient) -> assertArrayEquals(gradient, gradients.get(name), 0f, name));
        }
    }

    @Test
    void runsAPartOfABlockAsTheLayersDo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DenseBlock block = new DenseBlock(4, 16, 8, 2);
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 16, 8, 8));
            // Layers 2 and 3 of 4 (0-based 1..2) take the 24 channels the first layer leaves.
            NDArray x = manager.randomUniform(-1, 1, new Shape(2, 24, 8, 8));
            for (boolean training : new boolean[] {false, true}) {
                ParameterStore ps = new ParameterStore(manager, false);
                Engine.getInstance().setRandomSeed(3);
                float[] layers = ForwardPass.withoutGradients(() -> block.range(1, 3)
                        .forward(ps, new NDList(x), training).singletonOrThrow().toFloatArray());
                float[] oneCall = ForwardPass.withoutGradients(() -> block.range(1, 3).forward(ps, new NDList(x),
                        training, new ForwardContext(kernel, true).asParams()).singletonOrThrow().toFloatArray());
                assertArrayEquals(layers, oneCall, 0f, "training " + training);
                assertEquals(2 * (24 + 2 * 8) * 8 * 8, layers.length);
            }
        }
    }

    @Test
    void readsTenArraysPerLayerInTheOrderTheKernelExpects() {
        DenseBlock block = new DenseBlock(3, 16, 8, 2);
        assertEquals(3 * DenseBlockKernel.ARRAYS_PER_LAYER, block.getParameters().size());
        String[] expected = {"gamma", "beta", "runningMean", "runningVar", "conv1_weight",
                "gamma", "beta", "runningMean", "runningVar", "conv2_weight"};
        for (int i = 0; i < expected.length; i++) {
            assertTrue(block.getParameters().get(i).getKey().endsWith(expected[i]),
                    block.getParameters().get(i).getKey() + " in place " + i);
        }
    }
}
