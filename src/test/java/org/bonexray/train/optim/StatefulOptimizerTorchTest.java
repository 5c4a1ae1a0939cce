package org.bonexray.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.bonexray.io.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays torch.optim's recorded steps through the stateful optimizers, one weight at a time ({@code update}) and
 * as whole training steps over a parameter whose gradient backward produced ({@code step}, Adam's fused kernel).
 */
class StatefulOptimizerTorchTest {
    private static final double TOLERANCE = 1e-6;

    @TestFactory
    List<DynamicTest> matchesTorchOptimAfterEveryStep() {
        return replays(false);
    }

    @TestFactory
    List<DynamicTest> wholeStepsMatchTorchOptimAfterEveryStep() {
        return replays(true);
    }

    private static List<DynamicTest> replays(boolean wholeSteps) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : TorchFixtures.root().get("optimizers")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> replay(c, wholeSteps)));
        }
        assertTrue(tests.size() >= 8, "fixture lists the optimizer configurations");
        return tests;
    }

    private static void replay(JsonNode c, boolean wholeSteps) throws Exception {
        OptimizerSpec spec = Json.MAPPER.treeToValue(c.get("spec"), OptimizerSpec.class);
        Shape shape = new Shape(c.get("shape").get(0).asLong(), c.get("shape").get(1).asLong());
        try (NDManager manager = NDManager.newBaseManager();
             StatefulOptimizer optimizer = spec.build(ScheduleSpec.constant().build(spec.learningRate()))) {
            NDArray weight = manager.create(TorchFixtures.floats(c.get("initial")), shape);
            Parameter parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            parameter.setArray(weight);
            weight.setRequiresGradient(true);
            String id = wholeSteps ? parameter.getId() : "w";
            for (int step = 0; step < c.get("grads").size(); step++) {
                NDArray grad = manager.create(TorchFixtures.floats(c.get("grads").get(step)), shape);
                if (wholeSteps) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(weight.mul(grad).sum()); // the gradient of sum(w * g) is g
                    }
                    optimizer.step(List.of(parameter));
                    assertArrayEquals(new float[(int) shape.size()], weight.getGradient().toFloatArray(),
                            "gradient zeroed by the step");
                } else {
                    optimizer.update(id, weight, grad);
                }
                float[] expected = TorchFixtures.floats(c.get("weights").get(step));
                float[] actual = weight.toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], TOLERANCE,
                            c.get("name").asText() + " step " + (step + 1) + " element " + i);
                }
                grad.close();
            }
            assertEquals(c.get("grads").size(), optimizer.steps(id));
        }
    }
}
