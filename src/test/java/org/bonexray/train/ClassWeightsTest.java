package org.bonexray.train;

import org.bonexray.data.BodyPart;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MURA's per-body-part class weights. */
class ClassWeightsTest {
    @Test
    void weighsEachClassByTheOtherClassShare() {
        ClassWeights weights = ClassWeights.fromCounts(Map.of(
                BodyPart.WRIST, new long[] {3987, 5765},
                BodyPart.HAND, new long[] {1484, 4059}));
        assertEquals(5765.0 / 9752, weights.weight(BodyPart.WRIST, true), 1e-15);
        assertEquals(3987.0 / 9752, weights.weight(BodyPart.WRIST, false), 1e-15);
        assertEquals(1.0, weights.weight(BodyPart.HAND, true) + weights.weight(BodyPart.HAND, false), 1e-15);
        // Both classes contribute the same total weight within a part.
        assertEquals(1484 * weights.weight(BodyPart.HAND, true), 4059 * weights.weight(BodyPart.HAND, false), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> weights.weight(BodyPart.ELBOW, true));
        assertTrue(e.getMessage().contains("ELBOW"), e.getMessage());
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ClassWeights weights = ClassWeights.fromCounts(Map.of(BodyPart.SHOULDER, new long[] {4168, 4211},
                BodyPart.ELBOW, new long[] {2006, 2925}));
        String json = Json.MAPPER.writeValueAsString(weights);
        assertEquals(weights, Json.MAPPER.readValue(json, ClassWeights.class));
        assertTrue(json.indexOf("ELBOW") < json.indexOf("SHOULDER"), "body parts in enum order: " + json);
    }

    @Test
    void refusesPartsMissingAClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassWeights.fromCounts(Map.of(BodyPart.FINGER, new long[] {0, 10})));
        assertTrue(e.getMessage().startsWith("FINGER: "), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClassWeights.fromCounts(Map.of(BodyPart.FINGER, new long[] {1})));
    }
}
