package org.bonexray.eval;

import static org.bonexray.data.BodyPart.HAND;
import static org.bonexray.data.BodyPart.SHOULDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;
import org.junit.jupiter.api.Test;

class ThresholdChoiceTest {

    private static List<StudyPrediction> studies(double[] normal, double[] abnormal) {
        List<StudyPrediction> out = new ArrayList<>();
        for (double p : normal) {
            out.add(new StudyPrediction("n" + out.size(), HAND, Label.NORMAL, p, 1));
        }
        for (double p : abnormal) {
            out.add(new StudyPrediction("a" + out.size(), HAND, Label.ABNORMAL, p, 1));
        }
        return out;
    }

    @Test
    void fixedKeepsItsValueAndSaysSo() {
        ChosenThreshold t = ThresholdChoice.defaultChoice().choose(List.of());
        assertEquals(0.5, t.value());
        assertEquals(ThresholdChoice.Method.FIXED, t.method());
        assertEquals(0, t.validationStudies());
        assertNull(t.youdenJ());
        assertTrue(t.description().contains("p > 0.5"), t.description());
    }

    @Test
    void youdenPicksTheMidpointBelowTheBestRocPoint() {
        // Descending: 0.9(A) 0.7(A) 0.65(A) 0.6(N) 0.35(N) 0.3(A) 0.2(N) 0.1(N); best J = 3/4 - 0 at 0.65.
        List<StudyPrediction> v = studies(new double[] {0.1, 0.2, 0.35, 0.6}, new double[] {0.3, 0.65, 0.7, 0.9});
        ChosenThreshold t = ThresholdChoice.youden().choose(v);
        assertEquals(0.625, t.value(), 1e-12);
        assertEquals(0.75, t.youdenJ(), 1e-12);
        assertEquals(8, t.validationStudies());
        assertEquals(ThresholdChoice.Method.YOUDEN, t.method());
        BinaryMetrics m = Evaluation.studyMetrics(v, t.value());
        assertEquals(t.youdenJ(), m.sensitivity() + m.specificity() - 1, 1e-12, "the threshold reaches J");
    }

    @Test
    void youdenTiesKeepTheHighestThreshold() {
        // J = 0.5 at 0.7, 0.55 and 0.3: the first (highest) wins, midpoint of 0.7 and 0.6.
        List<StudyPrediction> v = studies(new double[] {0.1, 0.2, 0.35, 0.6}, new double[] {0.3, 0.55, 0.7, 0.9});
        assertEquals(0.65, ThresholdChoice.youden().choose(v).value(), 1e-12);
    }

    @Test
    void youdenOfAUselessModelCallsEverythingNormal() {
        List<StudyPrediction> v = studies(new double[] {0.8, 0.9}, new double[] {0.1, 0.2});
        ChosenThreshold t = ThresholdChoice.youden().choose(v);
        assertEquals(1.0, t.value());
        assertEquals(0.0, t.youdenJ());
    }

    @Test
    void youdenNeedsBothClasses() {
        List<StudyPrediction> v = studies(new double[] {0.1, 0.4}, new double[] {});
        assertThrows(IllegalArgumentException.class, () -> ThresholdChoice.youden().choose(v));
        assertThrows(IllegalArgumentException.class, () -> ThresholdChoice.youden().choose(List.of()));
    }

    @Test
    void refusesThresholdsOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> ThresholdChoice.fixed(1.2));
        assertThrows(IllegalArgumentException.class, () -> ThresholdChoice.fixed(Double.NaN));
    }

    /** Studies of one part: abnormal ones above {@code cut}, normal ones below, evenly spread. */
    private static List<StudyPrediction> separated(BodyPart part, int perClass, double cut, String prefix) {
        List<StudyPrediction> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            out.add(new StudyPrediction(prefix + "n" + i, part, Label.NORMAL, cut * (i + 0.5) / perClass, 1));
            out.add(new StudyPrediction(prefix + "a" + i, part, Label.ABNORMAL, cut + (1 - cut) * (i + 0.5) / perClass, 1));
        }
        return out;
    }

    @Test
    void youdenPerPartGivesEachWellSampledPartItsOwnThreshold() {
        // Hands separate at 0.2, shoulders at 0.8: one overall threshold misclassifies one of them, two do not.
        List<StudyPrediction> v = new ArrayList<>(separated(HAND, 12, 0.2, "h"));
        v.addAll(separated(SHOULDER, 12, 0.8, "s"));
        ChosenThreshold t = ThresholdChoice.parse("youden-per-part").choose(v);
        assertEquals(ThresholdChoice.Method.YOUDEN_PER_PART, t.method());
        assertEquals(2, t.perPart().size(), t.description());
        double hand = t.valueFor(HAND);
        double shoulder = t.valueFor(SHOULDER);
        assertTrue(hand > 0.2 - 0.2 / 24 && hand < 0.2 + 0.8 / 24, "hand " + hand);
        assertTrue(shoulder > 0.8 - 0.8 / 24 && shoulder < 0.8 + 0.2 / 24, "shoulder " + shoulder);
        List<ImagePrediction> images = v.stream().map(s -> new ImagePrediction(s.studyId() + "/1.png", s.studyId(),
                s.bodyPart(), s.label(), s.probability())).toList();
        EvaluationResult r = new Evaluation(StudyAggregation.MEAN, t, BootstrapSettings.none()).evaluate(images);
        assertEquals(1.0, r.studyLevel().overall().metrics().accuracy(), 1e-12, "per-part decisions are all right");
        BinaryMetrics single = Evaluation.studyMetrics(v, ThresholdChoice.youden().choose(v).value());
        assertTrue(single.accuracy() < 1.0, "one threshold cannot separate both parts");
    }

    @Test
    void youdenPerPartKeepsTheOverallThresholdForThinParts() {
        List<StudyPrediction> v = new ArrayList<>(separated(HAND, 12, 0.2, "h"));
        v.addAll(separated(SHOULDER, ThresholdChoice.MIN_PER_CLASS - 1, 0.8, "s"));
        ChosenThreshold t = ThresholdChoice.youdenPerPart().choose(v);
        assertEquals(java.util.Set.of(HAND), t.perPart().keySet());
        assertEquals(t.value(), t.valueFor(SHOULDER));
        assertTrue(t.description().contains("too few"), t.description());
    }

    @Test
    void parseNamesTheAcceptedForms() {
        assertEquals(ThresholdChoice.fixed(0.3), ThresholdChoice.parse(" 0.3 "));
        assertEquals(ThresholdChoice.youden(), ThresholdChoice.parse("YOUDEN"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThresholdChoice.parse("best"));
        assertTrue(e.getMessage().contains("youden-per-part"), e.getMessage());
    }
}
