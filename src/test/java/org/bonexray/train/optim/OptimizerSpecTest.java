package org.bonexray.train.optim;

import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults, validation, JSON and building of {@link OptimizerSpec}. */
class OptimizerSpecTest {
    @Test
    void defaultsFollowPyTorchAndMura() throws Exception {
        OptimizerSpec mura = OptimizerSpec.mura();
        assertEquals(new OptimizerSpec("adam", 1e-4, 0, 0, false, 0.9, 0.999, 1e-8), mura);
        assertEquals(1e-2, OptimizerSpec.defaults("adamw").weightDecay());
        assertEquals(1e-10, OptimizerSpec.defaults("adagrad").epsilon());
        assertEquals(mura, Json.MAPPER.readValue("{}", OptimizerSpec.class));
        OptimizerSpec sgd = Json.MAPPER.readValue("{\"kind\":\"SGD\",\"momentum\":0.9,\"nesterov\":true}",
                OptimizerSpec.class);
        assertEquals(new OptimizerSpec("sgd", 1e-2, 0, 0.9, true, 0.9, 0.999, 1e-8), sgd);
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        OptimizerSpec spec = new OptimizerSpec("rmsprop", 3e-3, 1e-5, 0.5, false, 0.8, 0.95, 1e-7);
        String json = Json.MAPPER.writeValueAsString(spec);
        assertEquals(spec, Json.MAPPER.readValue(json, OptimizerSpec.class));
        assertTrue(json.contains("\"kind\":\"rmsprop\""), json);
    }

    @Test
    void rejectsBadValuesWithClearMessages() {
        assertMessage("one of [adam", () -> OptimizerSpec.defaults("lamb"));
        assertMessage("learningRate", () -> OptimizerSpec.mura().withLearningRate(-1));
        assertMessage("learningRate", () -> OptimizerSpec.mura().withLearningRate(Double.NaN));
        assertMessage("beta2", () -> new OptimizerSpec("adam", 1e-4, 0, 0, false, 0.9, 1.0, 1e-8));
        assertMessage("weightDecay", () -> new OptimizerSpec("adam", 1e-4, -0.1, 0, false, 0.9, 0.99, 1e-8));
        assertMessage("momentum applies only", () -> new OptimizerSpec("adam", 1e-4, 0, 0.9, false, 0.9, 0.99, 1e-8));
        assertMessage("nesterov", () -> new OptimizerSpec("sgd", 0.1, 0, 0, true, 0.9, 0.99, 1e-8));
        assertMessage("epsilon", () -> new OptimizerSpec("adagrad", 0.1, 0, 0, false, 0.9, 0.99, 0));
    }

    @Test
    void buildsEachKind() {
        LearningRateSchedule schedule = ScheduleSpec.constant().build(0.01);
        for (String kind : OptimizerSpec.KINDS) {
            try (StatefulOptimizer optimizer = OptimizerSpec.defaults(kind).build(schedule)) {
                Class<?> expected = switch (kind) {
                    case "adam" -> Adam.class;
                    case "adamw" -> AdamW.class;
                    case "sgd" -> Sgd.class;
                    case "rmsprop" -> RmsProp.class;
                    default -> Adagrad.class;
                };
                assertInstanceOf(expected, optimizer);
                assertEquals(OptimizerSpec.defaults(kind).weightDecay(), optimizer.weightDecay());
            }
        }
    }

    private static void assertMessage(String part, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
