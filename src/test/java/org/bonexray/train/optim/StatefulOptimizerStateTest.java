package org.bonexray.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export/import of optimizer state, DJL's gradient options and array ownership. */
class StatefulOptimizerStateTest {
    private static final Shape SHAPE = new Shape(2, 3);
    private static final String[] IDS = {"layer.weight", "layer.bias"};

    static Stream<OptimizerSpec> specs() {
        return Stream.of(
                OptimizerSpec.defaults("adam").withLearningRate(0.01),
                new OptimizerSpec("adamw", 0.01, 0.1, 0, false, 0.9, 0.999, 1e-8),
                new OptimizerSpec("sgd", 0.1, 0.01, 0.9, true, 0.9, 0.999, 1e-8),
                new OptimizerSpec("rmsprop", 0.01, 0.05, 0.9, false, 0.9, 0.999, 1e-8),
                OptimizerSpec.defaults("adagrad").withLearningRate(0.1));
    }

    private static float[][] gradients(int steps) {
        Random random = new Random(7);
        float[][] g = new float[steps * IDS.length][6];
        for (float[] row : g) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return g;
    }

    private static void run(StatefulOptimizer optimizer, NDArray[] weights, float[][] grads, int from, int to) {
        for (int step = from; step < to; step++) {
            for (int p = 0; p < IDS.length; p++) {
                try (NDArray grad = weights[p].getManager().create(grads[step * IDS.length + p], SHAPE)) {
                    optimizer.update(IDS[p], weights[p], grad);
                }
            }
        }
    }

    private static NDArray[] startWeights(NDManager manager) {
        return new NDArray[] {manager.ones(SHAPE).mul(0.5f), manager.arange(6f).reshape(SHAPE).sub(2f)};
    }

    @ParameterizedTest
    @MethodSource("specs")
    void resumedFromFileContinuesBitForBit(OptimizerSpec spec, @TempDir Path dir) throws Exception {
        float[][] grads = gradients(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] straight = startWeights(manager);
            try (StatefulOptimizer optimizer = spec.build(ScheduleSpec.constant().build(spec.learningRate()))) {
                run(optimizer, straight, grads, 0, 5);
            }
            NDArray[] resumed = startWeights(manager);
            Path file = dir.resolve("optimizer.safetensors");
            Path json = dir.resolve("spec.json");
            try (StatefulOptimizer first = spec.build(ScheduleSpec.constant().build(spec.learningRate()));
                 NDManager exportManager = NDManager.newBaseManager()) {
                run(first, resumed, grads, 0, 2);
                try (OutputStream out = Files.newOutputStream(file)) {
                    first.exportState(exportManager).encode(out, NDList.Encoding.SAFETENSORS);
                }
                Json.MAPPER.writeValue(json.toFile(), spec);
            }
            OptimizerSpec reread = Json.MAPPER.readValue(json.toFile(), OptimizerSpec.class);
            try (StatefulOptimizer second = reread.build(ScheduleSpec.constant().build(reread.learningRate()));
                 NDManager loadManager = NDManager.newBaseManager();
                 InputStream in = Files.newInputStream(file)) {
                second.importState(NDList.decode(loadManager, in));
                assertEquals(2, second.steps(IDS[0]));
                run(second, resumed, grads, 2, 5);
            }
            for (int p = 0; p < IDS.length; p++) {
                assertArrayEquals(straight[p].toFloatArray(), resumed[p].toFloatArray(), spec.kind() + " " + IDS[p]);
            }
        }
    }

    enum Format { ND_LIST, SAFETENSORS }

    @ParameterizedTest
    @EnumSource(Format.class)
    void exportedStateKeepsNamesAndCountsThroughEncoding(Format format) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer optimizer = OptimizerSpec.defaults("adam").build(ScheduleSpec.constant().build(1e-3))) {
            NDArray[] weights = startWeights(manager);
            run(optimizer, weights, gradients(3), 0, 3);
            byte[] bytes = optimizer.exportState(manager).encode(NDList.Encoding.valueOf(format.name()));
            NDList decoded = NDList.decode(manager, bytes);
            List<String> names = decoded.stream().map(NDArray::getName).sorted().toList();
            assertEquals(List.of("layer.bias/exp_avg", "layer.bias/exp_avg_sq", "layer.bias/step",
                    "layer.weight/exp_avg", "layer.weight/exp_avg_sq", "layer.weight/step"), names);
            assertEquals(3L, decoded.get("layer.weight/step").toLongArray()[0]);
            assertArrayEquals(optimizer.slotOrNull("layer.bias", "exp_avg_sq").toFloatArray(),
                    decoded.get("layer.bias/exp_avg_sq").toFloatArray());
        }
    }

    @Test
    void refusesStateOfAnotherOptimizer() {
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer adam = OptimizerSpec.defaults("adam").build(ScheduleSpec.constant().build(1e-3));
             StatefulOptimizer sgd = new OptimizerSpec("sgd", 0.1, 0, 0.9, false, 0.9, 0.999, 1e-8)
                     .build(ScheduleSpec.constant().build(0.1))) {
            run(adam, startWeights(manager), gradients(1), 0, 1);
            NDList state = adam.exportState(manager);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.importState(state));
            assertTrue(e.getMessage().contains("exp_avg"), e.getMessage());
            NDArray unnamed = manager.zeros(SHAPE);
            assertThrows(IllegalArgumentException.class, () -> sgd.importState(new NDList(unnamed)));
        }
    }

    @Test
    void updatesLeaveNoArraysBehindAndCloseFreesState() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] weights = startWeights(manager);
            StatefulOptimizer optimizer = new OptimizerSpec("sgd", 0.1, 0.01, 0.9, true, 0.9, 0.999, 1e-8)
                    .build(ScheduleSpec.constant().build(0.1));
            int before = manager.getManagedArrays().size();
            run(optimizer, weights, gradients(4), 0, 4);
            assertEquals(before, manager.getManagedArrays().size(), "temporaries of the updates were closed");
            NDArray buffer = optimizer.slotOrNull(IDS[0], Sgd.MOMENTUM_BUFFER);
            assertFalse(buffer.isReleased());
            optimizer.close();
            assertTrue(buffer.isReleased(), "closing the optimizer frees its state");
            assertThrows(IllegalStateException.class, () -> optimizer.update(IDS[0], weights[0], weights[1]));
        }
    }

    @Test
    void zeroesTheWeightGradientEvenWhenNotFinite() {
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer adam = OptimizerSpec.mura().build(ScheduleSpec.constant().build(1e-4))) {
            NDArray weight = manager.ones(new Shape(3));
            weight.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(weight.mul(Float.NaN).sum());
            }
            NDArray grad = weight.getGradient();
            int before = manager.getManagedArrays().size();
            adam.update("w", weight, grad);
            assertEquals(before, manager.getManagedArrays().size(), "the update's temporaries were closed");
            assertArrayEquals(new float[3], grad.toFloatArray());
        }
    }

    @Test
    void honoursDjlRescaleAndClipOptions() {
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer sgd = Sgd.builder().setLearningRate(Tracker.fixed(1f))
                     .setRescaleGrad(0.5f).optClipGrad(1f).build()) {
            NDArray weight = manager.zeros(new Shape(3));
            NDArray grad = manager.create(new float[] {1f, -4f, 3f});
            sgd.update("w", weight, grad);
            // Rescaled to {0.5, -2, 1.5}, then clipped to [-1, 1]; the caller's gradient is left alone.
            assertArrayEquals(new float[] {-0.5f, 1f, -1f}, weight.toFloatArray());
            assertArrayEquals(new float[] {1f, -4f, 3f}, grad.toFloatArray());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Adam.builder().setLearningRate(Tracker.fixed(1f)).optWeightDecays(0.1f).build());
        assertTrue(e.getMessage().contains("optWeightDecay"), e.getMessage());
    }

    @Test
    void followsTheScheduleRateAtEachUpdate() {
        LearningRateSchedule schedule = ScheduleSpec.step(1, 0.5).build(1.0);
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer sgd = Sgd.builder().setLearningRate(schedule).build()) {
            NDArray weight = manager.zeros(new Shape(1));
            NDArray grad = manager.ones(new Shape(1));
            sgd.update("w", weight, grad);
            schedule.onEpochEnd(0, Double.NaN);
            sgd.update("w", weight, grad);
            assertArrayEquals(new float[] {-1.5f}, weight.toFloatArray());
        }
    }
}
