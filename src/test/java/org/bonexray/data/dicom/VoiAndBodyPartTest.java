package org.bonexray.data.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.bonexray.data.BodyPart;
import org.junit.jupiter.api.Test;

/** PS3.3 C.11.2.1.2's window functions at their defining points, and the body part terms. */
class VoiAndBodyPartTest {

    @Test
    void linearWindowFollowsTheStandardsFormula() {
        VoiWindow w = new VoiWindow(2048, 4096, "LINEAR");
        assertEquals(0, w.apply(0));  // x <= c - 0.5 - (w - 1) / 2 = 0
        assertEquals(255, w.apply(4096));  // x > c - 0.5 + (w - 1) / 2 = 4095
        assertEquals(((2047.5 - 2047.5) / 4095 + 0.5) * 255, w.apply(2047.5), 1e-12);
        assertEquals(((1000 - 2047.5) / 4095 + 0.5) * 255, w.apply(1000), 1e-12);
        VoiWindow threshold = new VoiWindow(10, 1, "LINEAR");
        assertEquals(0, threshold.apply(9.5));
        assertEquals(255, threshold.apply(9.6));
    }

    @Test
    void linearExactAndSigmoid() {
        VoiWindow exact = new VoiWindow(100, 50, "LINEAR_EXACT");
        assertEquals(0, exact.apply(75));
        assertEquals(127.5, exact.apply(100), 1e-12);
        assertEquals(255, exact.apply(125.0001));
        VoiWindow sigmoid = new VoiWindow(100, 50, "SIGMOID");
        assertEquals(127.5, sigmoid.apply(100), 1e-12);
        assertEquals(255 / (1 + Math.exp(-4 * 25 / 50.0)), sigmoid.apply(125), 1e-12);
        assertTrue(sigmoid.apply(-1e6) >= 0 && sigmoid.apply(1e6) <= 255);
    }

    @Test
    void bodyPartExaminedTerms() {
        assertEquals(Optional.of(BodyPart.WRIST), BodyPartTerms.fromBodyPartExamined("WRIST"));
        assertEquals(Optional.of(BodyPart.HUMERUS), BodyPartTerms.fromBodyPartExamined("ARM"));
        assertEquals(Optional.of(BodyPart.HUMERUS), BodyPartTerms.fromBodyPartExamined("upper arm"));
        assertEquals(Optional.of(BodyPart.FINGER), BodyPartTerms.fromBodyPartExamined("THUMB"));
        assertEquals(Optional.of(BodyPart.FOREARM), BodyPartTerms.fromBodyPartExamined("FOREARM"));
        assertEquals(Optional.empty(), BodyPartTerms.fromBodyPartExamined("UPPEREXTREMITY"));
        assertEquals(Optional.empty(), BodyPartTerms.fromBodyPartExamined("CHEST"));
        assertEquals(Optional.empty(), BodyPartTerms.fromBodyPartExamined(null));
    }

    @Test
    void descriptionsNameOnePartOrNone() {
        assertEquals(Optional.of(BodyPart.SHOULDER), BodyPartTerms.fromDescription("XR SHOULDER 2V LEFT"));
        assertEquals(Optional.of(BodyPart.FINGER), BodyPartTerms.fromDescription("Fingers, right (3 views)"));
        assertEquals(Optional.of(BodyPart.HUMERUS), BodyPartTerms.fromDescription("XR UPPER ARM"));
        assertEquals(Optional.empty(), BodyPartTerms.fromDescription("HAND AND WRIST"));
        assertEquals(Optional.empty(), BodyPartTerms.fromDescription("HANDGELENK"));  // German for wrist: no guess
        assertEquals(Optional.empty(), BodyPartTerms.fromDescription("CHEST PA"));
        assertEquals(Optional.of(BodyPart.ELBOW), BodyPartTerms.of("", "knee?", "XR ELBOW"));
        assertEquals(Optional.of(BodyPart.WRIST), BodyPartTerms.of("WRIST", "XR ELBOW"));
    }
}
