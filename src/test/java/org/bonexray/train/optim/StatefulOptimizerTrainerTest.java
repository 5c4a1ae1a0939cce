package org.bonexray.train.optim;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import org.bonexray.train.WeightedBinaryCrossEntropy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizers inside DJL's Trainer on a tiny logistic regression. */
class StatefulOptimizerTrainerTest {
    private static final int FEATURES = 4;
    private static final int BATCH = 16;

    private static NDList[] data(NDManager manager) {
        Random random = new Random(11);
        float[] x = new float[BATCH * FEATURES];
        float[] y = new float[BATCH];
        float[] w = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            double score = 0;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) random.nextGaussian();
                score += x[i * FEATURES + j] * (j - 1.5);
            }
            y[i] = score > 0 ? 1f : 0f;
            w[i] = y[i] > 0 ? 0.6f : 0.4f;
        }
        return new NDList[] {new NDList(manager.create(x, new Shape(BATCH, FEATURES))),
            new NDList(manager.create(y), manager.create(w))};
    }

    private static Trainer trainer(Model model, StatefulOptimizer optimizer) {
        return trainer(model, Linear.builder().setUnits(1).build(), optimizer);
    }

    private static Trainer trainer(Model model, Block block, StatefulOptimizer optimizer) {
        model.setBlock(block);
        DefaultTrainingConfig config = new DefaultTrainingConfig(new WeightedBinaryCrossEntropy())
                .optOptimizer(optimizer)
                .optInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(BATCH, FEATURES));
        return trainer;
    }

    private static float step(Trainer trainer, NDList[] batch) {
        float loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray predictions = trainer.forward(batch[0]).singletonOrThrow();
            NDArray value = trainer.getLoss().evaluate(batch[1], new NDList(predictions));
            loss = value.getFloat();
            collector.backward(value);
        }
        trainer.step(); // DJL's own path: one update() per weight
        return loss;
    }

    @Test
    void trainsThroughDjlTrainer() {
        LearningRateSchedule schedule = ScheduleSpec.constant().build(0.1);
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer adam = OptimizerSpec.mura().withLearningRate(0.1).build(schedule);
             Model model = Model.newInstance("tiny");
             Trainer trainer = trainer(model, adam)) {
            NDList[] batch = data(manager);
            float first = step(trainer, batch);
            float last = first;
            for (int i = 0; i < 30; i++) {
                last = step(trainer, batch);
            }
            assertTrue(last < 0.7 * first, "loss fell from " + first + " to " + last);
            for (Parameter p : model.getBlock().getParameters().values()) {
                float[] grad = p.getArray().getGradient().toFloatArray();
                assertArrayEquals(new float[grad.length], grad, "gradient zeroed after the step, as DJL expects");
            }
        }
    }

    @Test
    void resumesIntoAFreshModelByParameterName(@TempDir Path dir) throws Exception {
        OptimizerSpec spec = new OptimizerSpec("sgd", 0.05, 1e-3, 0.9, true, 0.9, 0.999, 1e-8);
        Path state = dir.resolve("optimizer.safetensors");
        Path weights = dir.resolve("weights.params");
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer first = spec.build(ScheduleSpec.constant().build(spec.learningRate()));
             Model modelA = Model.newInstance("a");
             Trainer trainerA = trainer(modelA, first)) {
            NDList[] batch = data(manager);
            for (int i = 0; i < 3; i++) {
                step(trainerA, batch);
            }
            // A checkpoint: the weights and the optimizer state keyed by parameter name.
            try (NDManager exportManager = NDManager.newBaseManager();
                 OutputStream out = Files.newOutputStream(state);
                 DataOutputStream params = new DataOutputStream(Files.newOutputStream(weights))) {
                first.exportState(exportManager, modelA.getBlock()).encode(out, NDList.Encoding.SAFETENSORS);
                modelA.getBlock().saveParameters(params);
            }
            // Model B has other parameter ids, as after a restart; it loads the checkpoint by name.
            try (StatefulOptimizer second = spec.build(ScheduleSpec.constant().build(spec.learningRate()));
                 Model modelB = Model.newInstance("b")) {
                Block block = Linear.builder().setUnits(1).build();
                block.initialize(modelB.getNDManager(), DataType.FLOAT32, new Shape(BATCH, FEATURES));
                try (DataInputStream params = new DataInputStream(Files.newInputStream(weights))) {
                    block.loadParameters(modelB.getNDManager(), params);
                }
                try (Trainer trainerB = trainer(modelB, block, second);
                     NDManager loadManager = NDManager.newBaseManager();
                     InputStream in = Files.newInputStream(state)) {
                    second.importState(NDList.decode(loadManager, in), block);
                    for (int i = 0; i < 3; i++) {
                        step(trainerA, batch);
                        step(trainerB, batch);
                    }
                }
                for (Pair<String, Parameter> p : modelA.getBlock().getParameters()) {
                    assertArrayEquals(p.getValue().getArray().toFloatArray(),
                            block.getParameters().get(p.getKey()).getArray().toFloatArray(), p.getKey());
                }
                assertEquals(6, second.steps(block.getParameters().get("weight").getId()));
            }
        }
    }

    @Test
    void wholeStepsEqualDjlTrainerStepsAcrossFreezing() {
        OptimizerSpec spec = OptimizerSpec.mura().withLearningRate(0.05);
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer fused = spec.build(ScheduleSpec.constant().build(0.05));
             StatefulOptimizer perWeight = spec.build(ScheduleSpec.constant().build(0.05));
             Model a = Model.newInstance("a");
             Model b = Model.newInstance("b");
             Trainer trainerA = trainer(a, twoLayers(), fused);
             Trainer trainerB = trainer(b, twoLayers(), perWeight)) {
            ParameterList paramsA = a.getBlock().getParameters();
            ParameterList paramsB = b.getBlock().getParameters();
            for (Pair<String, Parameter> p : paramsA) {
                paramsB.get(p.getKey()).getArray().set(p.getValue().getArray().toFloatArray());
            }
            NDList[] batch = data(manager);
            for (int i = 0; i < 6; i++) {
                boolean frozen = i == 2 || i == 3; // the first layer sits out two steps, so step counts differ
                paramsA.get("01Linear_weight").freeze(frozen);
                paramsB.get("01Linear_weight").freeze(frozen);
                forwardBackward(trainerA, batch);
                fused.step(paramsA.values());
                step(trainerB, batch);
            }
            for (Pair<String, Parameter> p : paramsA) {
                float[] expected = paramsB.get(p.getKey()).getArray().toFloatArray();
                float[] actual = p.getValue().getArray().toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-6, p.getKey() + "[" + i + "]");
                }
                long expectedSteps = p.getKey().equals("01Linear_weight") ? 4 : 6;
                assertEquals(expectedSteps, fused.steps(p.getValue().getId()), p.getKey());
                assertEquals(expectedSteps, perWeight.steps(paramsB.get(p.getKey()).getId()), p.getKey());
            }
        }
    }

    private static Block twoLayers() {
        return new SequentialBlock().add(Linear.builder().setUnits(3).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());
    }

    private static void forwardBackward(Trainer trainer, NDList[] batch) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray predictions = trainer.forward(batch[0]).singletonOrThrow();
            collector.backward(trainer.getLoss().evaluate(batch[1], new NDList(predictions)));
        }
    }
}
