package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseLayerRun;
import org.bonexray.model.FreezePolicy;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.ModelSpec;
import org.bonexray.model.NetworkSegment;
import org.bonexray.model.TestNets;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.runtime.Precision;
import org.bonexray.train.optim.OptimizerSpec;
import org.bonexray.train.optim.ScheduleSpec;
import org.bonexray.train.optim.StatefulOptimizer;
import org.junit.jupiter.api.Test;

/**
 * Recomputing activations segment by segment gives the plain step's loss, logits, gradients and running
 * statistics, in fp32 and bf16, with a trained or a partly frozen backbone, and over several updates.
 */
class TrainingStepTest {
    // A hidden head layer with batch norm and dropout: the last segment draws random numbers and keeps statistics.
    private static final ModelSpec SPEC = TestNets.tiny(HeadSpec.of(8), 21, 64);
    private static final int BATCH = 6;

    /** What one step left: its outcome, every gradient and every parameter (running statistics included). */
    private record After(TrainingStep.Outcome outcome, Map<String, float[]> gradients, Map<String, float[]> parameters,
                         long kernelLayers) {
    }

    @Test
    void everyStepRunsItsDenseLayersInTheKernelRecomputedOnesTwice() {
        int layers = SPEC.variant().blockConfig().stream().mapToInt(Integer::intValue).sum();
        assertEquals(layers, oneStep(false, FreezePolicy.NONE, Precision.FP32).kernelLayers(), "plain step");
        List<NetworkSegment> segments = AbnormalityNet.build(SPEC).segments(TrainingStep.SEGMENTS);
        long again = 0;
        for (NetworkSegment segment : segments.subList(0, segments.size() - 1)) {
            for (Block block : segment.blocks()) {
                again += block instanceof DenseLayerRun run ? run.denseLayers().size() : 0;
            }
        }
        assertTrue(again > 0, "some dense layer lies before the last segment");
        // Each layer runs once without recording, and again, recorded, unless its segment is the last.
        assertEquals(layers + again, oneStep(true, FreezePolicy.NONE, Precision.FP32).kernelLayers(), "recomputing step");
        assertEquals(layers + again, oneStep(true, FreezePolicy.NONE, Precision.BF16).kernelLayers(), "in bf16 too");
    }

    @Test
    void recomputingGivesThePlainGradientsAndStatistics() {
        After plain = oneStep(false, FreezePolicy.NONE, Precision.FP32);
        After recomputed = oneStep(true, FreezePolicy.NONE, Precision.FP32);
        assertSameStep(plain, recomputed, 1e-6f);
        // Every parameter took a gradient, the stem's first convolution included.
        assertTrue(plain.gradients().containsKey("features.conv0.weight"));
        assertEquals(plain.gradients().keySet(), recomputed.gradients().keySet());
    }

    @Test
    void recomputingWorksInBfloat16() {
        After plain = oneStep(false, FreezePolicy.NONE, Precision.BF16);
        After recomputed = oneStep(true, FreezePolicy.NONE, Precision.BF16);
        assertSameStep(plain, recomputed, 1e-6f);
    }

    @Test
    void aFrozenBackboneIsNotBackpropagated() {
        FreezePolicy lastBlockTrained = FreezePolicy.lastBlocks(1);
        After plain = oneStep(false, lastBlockTrained, Precision.FP32);
        After recomputed = oneStep(true, lastBlockTrained, Precision.FP32);
        assertSameStep(plain, recomputed, 1e-6f);
        assertFalse(recomputed.gradients().containsKey("features.denseblock3.denselayer1.conv1.weight"));
        assertTrue(recomputed.gradients().containsKey("features.denseblock4.denselayer1.conv1.weight"));
    }

    @Test
    void severalUpdatesStayTogether() {
        float[] plain = losses(false);
        float[] recomputed = losses(true);
        assertNotEquals(plain[0], plain[plain.length - 1], "the weights changed between steps");
        assertArrayEquals(plain, recomputed, 1e-5f);
    }

    @Test
    void aBatchSplitOverDevicesGivesTheWholeBatchsLossLogitsAndGradients() {
        // A frozen backbone (batch norms on running statistics) and a linear head: nothing depends on which images
        // share a part, so the parts' scaled gradients must add up to the whole batch's. The CPU stands in for
        // every device here: the split, the scaling and the accumulation are what is checked.
        ModelSpec spec = TestNets.tiny(HeadSpec.linear(), 21, 64);
        Device[] one = {Device.cpu()};
        Device[] three = {Device.cpu(), Device.cpu(), Device.cpu()};
        After whole = splitStep(spec, one, false);
        for (boolean recompute : new boolean[] {false, true}) {
            After split = splitStep(spec, three, recompute);
            assertSameStep(whole, split, 1e-6f);
            assertFalse(split.gradients().isEmpty(), "the head took gradients");
            assertFalse(split.gradients().containsKey("features.conv0.weight"), "the backbone is frozen");
        }
    }

    private static After splitStep(ModelSpec spec, Device[] devices, boolean recompute) {
        try (Model model = Model.newInstance("split");
             StatefulOptimizer adam = adam();
             Trainer trainer = trainer(model, spec, FreezePolicy.ALL, adam);
             ForwardPass pass = ForwardPass.of(Precision.FP32);
             NDManager batch = trainer.getManager().newSubManager()) {
            AbnormalityNet net = (AbnormalityNet) model.getBlock();
            TrainingStep step = new TrainingStep(trainer, adam, pass, net, recompute, devices);
            TrainingStep.Outcome outcome = step.computeGradients(images(batch, 4), labels(batch));
            return new After(outcome, TestNets.gradients(net), TestNets.snapshot(net), pass.denseLayersRunInKernel());
        }
    }

    private static void assertSameStep(After expected, After actual, float tolerance) {
        assertEquals(expected.outcome().loss(), actual.outcome().loss(), tolerance);
        assertArrayEquals(expected.outcome().logits(), actual.outcome().logits(), tolerance);
        assertEquals(expected.gradients().keySet(), actual.gradients().keySet());
        expected.gradients().forEach((name, gradient) ->
                assertTrue(TestNets.maxAbsDiff(gradient, actual.gradients().get(name)) <= tolerance * (1 + maxAbs(gradient)),
                        name + ": gradients differ by " + TestNets.maxAbsDiff(gradient, actual.gradients().get(name))));
        // Parameters after the forward passes: running statistics were updated once, not twice.
        expected.parameters().forEach((name, values) ->
                assertArrayEquals(values, actual.parameters().get(name), tolerance, name));
    }

    private static After oneStep(boolean recompute, FreezePolicy freeze, Precision precision) {
        try (Model model = Model.newInstance("step");
             StatefulOptimizer adam = adam();
             Trainer trainer = trainer(model, freeze, adam);
             ForwardPass pass = ForwardPass.of(precision);
             NDManager batch = trainer.getManager().newSubManager()) {
            AbnormalityNet net = (AbnormalityNet) model.getBlock();
            TrainingStep step = new TrainingStep(trainer, adam, pass, net, recompute);
            assertEquals(recompute, step.recomputes());
            Engine.getInstance().setRandomSeed(5); // the head's dropout draws the same mask both ways
            TrainingStep.Outcome outcome = step.computeGradients(images(batch, 1), labels(batch));
            return new After(outcome, TestNets.gradients(net), TestNets.snapshot(net), pass.denseLayersRunInKernel());
        }
    }

    private static float[] losses(boolean recompute) {
        float[] losses = new float[4];
        try (Model model = Model.newInstance("steps");
             StatefulOptimizer adam = adam();
             Trainer trainer = trainer(model, FreezePolicy.NONE, adam);
             ForwardPass pass = ForwardPass.of(Precision.FP32)) {
            TrainingStep step = new TrainingStep(trainer, adam, pass, (AbnormalityNet) model.getBlock(), recompute);
            Engine.getInstance().setRandomSeed(9);
            for (int i = 0; i < losses.length; i++) {
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    losses[i] = step.run(images(batch, 1), labels(batch)).loss();
                }
            }
        }
        return losses;
    }

    private static StatefulOptimizer adam() {
        OptimizerSpec optimizer = OptimizerSpec.mura();
        return optimizer.build(ScheduleSpec.constant().build(optimizer.learningRate()));
    }

    private static Trainer trainer(Model model, FreezePolicy freeze, StatefulOptimizer adam) {
        return trainer(model, SPEC, freeze, adam);
    }

    private static Trainer trainer(Model model, ModelSpec spec, FreezePolicy freeze, StatefulOptimizer adam) {
        AbnormalityNet net = AbnormalityNet.build(spec);
        model.setBlock(net);
        net.initializeWeights(model.getNDManager());
        freeze.apply(net);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new WeightedBinaryCrossEntropy())
                .optOptimizer(adam).optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(1, 3, spec.inputSize(), spec.inputSize()));
        return trainer;
    }

    private static NDList images(NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int side = SPEC.inputSize();
        float[] values = new float[BATCH * 3 * side * side];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return new NDList(manager.create(values, new Shape(BATCH, 3, side, side)));
    }

    private static NDList labels(NDManager manager) {
        float[] labels = new float[BATCH];
        float[] weights = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = i % 2;
            weights[i] = i % 2 == 1 ? 0.6f : 0.4f;
        }
        return new NDList(manager.create(labels), manager.create(weights));
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
