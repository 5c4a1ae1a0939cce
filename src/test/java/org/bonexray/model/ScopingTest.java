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
    void scopedAndUnscopedGradientsAreEqual() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet scoped = AbnormalityNet.build(SPEC);
            scoped.initializeWeights(manager);
            AbnormalityNet unscoped = AbnormalityNet.buildUnscoped(SPEC);
            unscoped.initializeWeights(manager);
            float[] scopedLogits = new float[4];
            float[] unscopedLogits = new float[4];
            Engine.getInstance().setRandomSeed(5);
            Map<String, float[]> a = gradientsOf(scoped, manager, scopedLogits);
            Engine.getInstance().setRandomSeed(5);
            Map<String, float[]> b = gradientsOf(unscoped, manager, unscopedLogits);
            assertArrayEquals(unscopedLogits, scopedLogits, 1e-6f);
            assertEquals(b.keySet(), a.keySet());
            assertTrue(a.containsKey("features.conv0.weight"));
            for (String key : a.keySet()) {
                float scale = 1e-6f + maxAbs(b.get(key));
                assertTrue(TestNets.maxAbsDiff(a.get(key), b.get(key)) <= 1e-5f * scale, key);
                assertTrue(maxAbs(a.get(key)) > 0, key + " has no gradient");
            }
        }
    }

    @Test
    void scopingReleasesIntermediates() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet scoped = AbnormalityNet.initialize(manager, SPEC);
            AbnormalityNet unscoped = AbnormalityNet.buildUnscoped(SPEC);
            unscoped.initializeWeights(manager);
            int kept = liveArraysAfterForward(scoped, manager);
            int all = liveArraysAfterForward(unscoped, manager);
            // Unscoped, every dense layer leaves about 7 intermediates behind; scoped, only the features output stays.
            assertTrue(kept * 5 < all, "scoped " + kept + " vs unscoped " + all);
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
