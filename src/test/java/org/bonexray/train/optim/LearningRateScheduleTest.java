package org.bonexray.train.optim;

import com.fasterxml.jackson.databind.JsonNode;
import org.bonexray.io.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules against torch's schedulers, state round trips and spec parsing. */
class LearningRateScheduleTest {
    @TestFactory
    List<DynamicTest> matchesTorchSchedulers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : TorchFixtures.root().get("schedules")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                ScheduleSpec spec = Json.MAPPER.treeToValue(c.get("spec"), ScheduleSpec.class);
                LearningRateSchedule schedule = spec.build(c.get("baseLr").asDouble());
                double[] losses = TorchFixtures.doubles(c.get("losses"));
                double[] expected = TorchFixtures.doubles(c.get("lrs"));
                for (int epoch = 0; epoch <= losses.length; epoch++) {
                    assertEquals(expected[epoch], schedule.currentRate(), expected[epoch] * 1e-9,
                            c.get("name").asText() + " epoch " + epoch);
                    assertEquals((float) expected[epoch], schedule.getNewValue(123));
                    if (epoch < losses.length) {
                        schedule.onEpochEnd(epoch, losses[epoch]);
                    }
                }
            }));
        }
        assertEquals(7, tests.size());
        return tests;
    }

    @Test
    void plateauIgnoresTheWarmupsLossesAndAStateResumesTheWarmup() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.cosine(3, 0).withWarmup(3));
        assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.constant().withWarmup(-1));
        ScheduleSpec spec = ScheduleSpec.mura().withWarmup(2);
        LearningRateSchedule schedule = spec.build(3e-4);
        // warm-up losses (5, 0.1) are not the plateau's: the first counted loss is 1.0 at epoch 2
        double[] losses = {5, 0.1, 1.0, 1.0, 1.0, 1.0};
        double[] expectedAfter = {2e-4, 3e-4, 3e-4, 3e-4, 3e-5, 3e-5};
        for (int epoch = 0; epoch < losses.length; epoch++) {
            if (epoch == 1) { // a resumed run continues the warm-up from the saved state
                String saved = Json.MAPPER.writeValueAsString(schedule.exportState());
                schedule = spec.build(3e-4);
                schedule.importState(Json.MAPPER.readValue(saved, ScheduleState.class));
            }
            schedule.onEpochEnd(epoch, losses[epoch]);
            assertEquals(expectedAfter[epoch], schedule.currentRate(), 1e-15, "after epoch " + epoch);
        }
        assertEquals(1e-4, spec.build(3e-4).currentRate(), 1e-15);
        assertEquals(spec, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(spec), ScheduleSpec.class));
        assertTrue(!Json.MAPPER.writeValueAsString(ScheduleSpec.mura()).contains("warmup"), "no warm-up, nothing written");
    }

    @Test
    void plateauDividesByTenAsMura() {
        LearningRateSchedule schedule = ScheduleSpec.mura().build(1e-4);
        double[] losses = {1.0, 0.9, 0.95, 0.93, 0.8, 0.85, 0.85};
        double[] expectedAfter = {1e-4, 1e-4, 1e-4, 1e-5, 1e-5, 1e-5, 1e-6};
        for (int epoch = 0; epoch < losses.length; epoch++) {
            schedule.onEpochEnd(epoch, losses[epoch]);
            assertEquals(expectedAfter[epoch], schedule.currentRate(), 1e-15, "after epoch " + epoch);
        }
    }

    @Test
    void stateRoundTripThroughJsonContinuesExactly() throws Exception {
        ScheduleSpec spec = ScheduleSpec.plateau(0.5, 1, 1e-6, 1e-3);
        double[] losses = {3, 2, 2.5, 2.4, 1.9, 2, 2.1, 2.2, 1.0, 1.1};
        LearningRateSchedule straight = spec.build(0.01);
        LearningRateSchedule first = spec.build(0.01);
        for (int e = 0; e < 4; e++) {
            first.onEpochEnd(e, losses[e]);
        }
        String saved = Json.MAPPER.writeValueAsString(first.exportState());
        String specJson = Json.MAPPER.writeValueAsString(spec);
        LearningRateSchedule resumed = Json.MAPPER.readValue(specJson, ScheduleSpec.class).build(0.01);
        resumed.importState(Json.MAPPER.readValue(saved, ScheduleState.class));
        assertEquals(first.exportState(), resumed.exportState());
        for (int e = 0; e < losses.length; e++) {
            straight.onEpochEnd(e, losses[e]);
            if (e >= 4) {
                resumed.onEpochEnd(e, losses[e]);
            }
        }
        assertEquals(straight.exportState(), resumed.exportState());
        assertTrue(straight.currentRate() < 0.01, "the plateau reduced the rate");
        ScheduleState initial = ScheduleState.initial(0.01);
        assertEquals(initial, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(initial), ScheduleState.class));
    }

    @Test
    void refusesToEndAnEpochOutOfOrder() {
        LearningRateSchedule schedule = ScheduleSpec.constant().build(0.1);
        schedule.onEpochEnd(0, 1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> schedule.onEpochEnd(0, 1.0));
        assertTrue(e.getMessage().contains("at epoch 1"), e.getMessage());
    }

    @Test
    void specFillsDefaultsAndValidates() throws Exception {
        ScheduleSpec plateau = Json.MAPPER.readValue("{\"kind\":\"PLATEAU\"}", ScheduleSpec.class);
        assertEquals(ScheduleSpec.mura(), plateau);
        assertEquals(0.1, plateau.factor());
        assertEquals(1, plateau.patience());
        assertEquals(1e-4, plateau.threshold());
        ScheduleSpec cosine = ScheduleSpec.cosine(30, 1e-6);
        assertEquals(cosine, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(cosine), ScheduleSpec.class));
        assertMessage("stepEpochs", () -> ScheduleSpec.step(0, 0.1));
        assertMessage("totalEpochs", () -> ScheduleSpec.cosine(0, 0));
        assertMessage("factor", () -> ScheduleSpec.plateau(1.0, 1, 0, 1e-4));
        assertMessage("one of", () -> ScheduleSpec.fromJson("exponential", null, null, null, null, null, null, null));
        assertMessage("baseLr", () -> ScheduleSpec.constant().build(0));
    }

    private static void assertMessage(String part, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
