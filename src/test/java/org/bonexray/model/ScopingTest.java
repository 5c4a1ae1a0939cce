package org.bonexray.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Releasing each dense layer's intermediates early changes neither outputs nor gradients, and frees arrays. */
class ScopingTest {
    private static final ModelSpec SPEC = TestNets.tiny(HeadSpec.of(8), 21, 64);

    /** Runs a training forward and backward; returns logits followed by all gradients. */
    private static Map<String, float[]> gradientsOf(AbnormalityNet net, NDManager manager, float[] logitsOut) {
        NDArray x = manager.randomUniform(-1, 1, new Shape(4, 3, 64, 64));
        NDArray y = manager.create(new float[] {1, 0, 0, 1}, new Shape(4, 1));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            NDArray loss = Loss.sigmoidBinaryCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits));
            collector.backward(loss);
            System.arraycopy(logits.toFloatArray(), 0, logitsOut, 0, 4);
            // Read inside the collector: closing it may reset gradients.
            return TestNets.gradients(net);
        }
    }

    @Test
    void gradientsReachEveryParameterThroughTheScopes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, SPEC);
            float[] logits = new float[4];
            Engine.getInstance().setRandomSeed(5);
            Map<String, float[]> gradients = gradientsOf(net, manager, logits);
            assertTrue(gradients.containsKey("features.conv0.weight"));
            assertEquals(net.getParameters().stream().filter(p -> p.getValue().requiresGradient()).count(),
                    gradients.size());
            for (Map.Entry<String, float[]> e : gradients.entrySet()) {
                assertTrue(maxAbs(e.getValue()) > 0, e.getKey() + " has no gradient: a scope closed what backward needs");
            }
        }
    }

    @Test
    void whatAForwardPassLeavesDoesNotGrowWithDepth() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int tiny = liveArraysAfterForward(AbnormalityNet.initialize(manager, SPEC), manager);
            ModelSpec deep = new ModelSpec(DenseNetVariant.DENSENET121, HeadSpec.of(8), Initialization.HE, 21, 64);
            int densenet121 = liveArraysAfterForward(AbnormalityNet.initialize(manager, deep), manager);
            // Each dense layer, block and transition keeps only its output, so what stays (the input, the features'
            // output and the head's arrays) does not grow with depth: 8 dense layers or 58, the same count.
            assertEquals(tiny, densenet121, "live arrays after a forward pass, tiny vs DenseNet-121");
            assertTrue(tiny < 12, "" + tiny);
        }
    }

    private static int liveArraysAfterForward(AbnormalityNet net, NDManager parent) {
        try (NDManager batch = parent.newSubManager()) {
            NDArray x = batch.randomUniform(-1, 1, new Shape(2, 3, 64, 64));
            net.forward(new ParameterStore(batch, false), new NDList(x), false);
            return ((BaseNDManager) batch).getManagedArrays().size();
        }
    }

    @Test
    void batchNormRunningStatisticsUseTorchMomentum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNormBlock norm = new BatchNormBlock(2);
            norm.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(3, 2));
            NDArray x = manager.create(new float[] {1, 10, 2, 20, 3, 30}, new Shape(3, 2));
            norm.forward(new ParameterStore(manager, false), new NDList(x), true);
            float[] mean = norm.getParameters().get("runningMean").getArray().toFloatArray();
            assertArrayEquals(new float[] {0.2f, 2f}, mean, 1e-6f);
            float[] var = norm.getParameters().get("runningVar").getArray().toFloatArray();
            // torch updates with the unbiased batch variance: 0.9 * 1 + 0.1 * var.
            assertArrayEquals(new float[] {0.9f + 0.1f * 1f, 0.9f + 0.1f * 100f}, var, 1e-5f);
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
