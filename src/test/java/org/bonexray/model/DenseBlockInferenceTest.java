package org.bonexray.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import org.bonexray.data.ChannelsLast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dense blocks' one-call inference gives the DJL blocks' outputs bit for bit, in fp32 and bf16, for both memory
 * layouts, and is taken only for inference without autograd.
 */
class DenseBlockInferenceTest {
    /** A linear head: no dropout, so two training passes can be compared. */
    private static final ModelSpec SPEC = TestNets.tiny(HeadSpec.linear(), 21, 64);
    private static DenseBlockInference kernel;

    @BeforeAll
    static void load() {
        kernel = DenseBlockInference.load();
    }

    @AfterAll
    static void close() {
        kernel.close();
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
                        () -> net.forward(ps, x, false, kernel.params()).singletonOrThrow().toFloatArray());
                assertArrayEquals(blocks, oneCall, 0f, "channels last: " + channelsLast);
                assertTrue(TestNets.maxAbsDiff(blocks, new float[blocks.length]) > 0, "all-zero logits prove nothing");
            }
        }
    }

    @Test
    void forwardPassInferenceIsTheBlocksArithmeticInBfloat16Too() {
        try (NDManager manager = NDManager.newBaseManager();
                Bfloat16Casts casts = Bfloat16Casts.load();
                ForwardPass bf16 = ForwardPass.of(Precision.BF16)) {
            AbnormalityNet net = net(manager);
            NDArray x = input(manager, true);
            float[] blocks = ForwardPass.withoutGradients(() -> {
                NDArray low = casts.toBfloat16(x, false);
                NDArray out = net.forward(new MixedPrecisionStore(manager, casts), new NDList(low), false)
                        .singletonOrThrow();
                return casts.toFloat32(out, false).toFloatArray();
            });
            float[] pass = bf16.forward(net, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(blocks, pass, 0f);
            float[] fp32 = ForwardPass.withoutGradients(() -> net.forward(new ParameterStore(manager, false),
                    new NDList(x), false).singletonOrThrow().toFloatArray());
            assertNotEquals(0f, TestNets.maxAbsDiff(fp32, pass), "the bf16 pass ran in fp32");
        }
    }

    @Test
    void leavesTrainingAndRecordedPassesToTheBlocks() throws Exception {
        assertFalse(DenseBlockInference.applies(true), "training");
        assertTrue(ForwardPass.withoutGradients(() -> DenseBlockInference.applies(false)), "plain inference");
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            assertFalse(DenseBlockInference.applies(false), "inference while autograd records (heatmaps)");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet withKernel = net(manager);
            AbnormalityNet without = net(manager);
            NDArray x = input(manager, true);
            float[] trained;
            float[] plain;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                trained = withKernel.forward(new ParameterStore(manager, false), new NDList(x), true,
                        kernel.params()).singletonOrThrow().toFloatArray();
                plain = without.forward(new ParameterStore(manager, false), new NDList(x), true)
                        .singletonOrThrow().toFloatArray();
            }
            // Training normalises with the batch's statistics and updates the running ones, as the blocks do.
            assertArrayEquals(plain, trained, 0f);
            assertArrayEquals(TestNets.snapshot(without).get("features.denseblock1.denselayer1.norm1.running_mean"),
                    TestNets.snapshot(withKernel).get("features.denseblock1.denselayer1.norm1.running_mean"), 0f);
        }
    }

    @Test
    void readsTenArraysPerLayerInTheOrderTheKernelExpects() {
        DenseBlock block = new DenseBlock(3, 16, 8, 2, true);
        assertEquals(3 * DenseBlockInference.ARRAYS_PER_LAYER, block.getParameters().size());
        String[] expected = {"gamma", "beta", "runningMean", "runningVar", "conv1_weight",
                "gamma", "beta", "runningMean", "runningVar", "conv2_weight"};
        for (int i = 0; i < expected.length; i++) {
            assertTrue(block.getParameters().get(i).getKey().endsWith(expected[i]),
                    block.getParameters().get(i).getKey() + " in place " + i);
        }
    }
}
