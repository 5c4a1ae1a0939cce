package org.bonexray.eval;

import static org.bonexray.data.BodyPart.ELBOW;
import static org.bonexray.data.BodyPart.WRIST;
import static org.bonexray.data.Label.ABNORMAL;
import static org.bonexray.data.Label.NORMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StudyAggregationTest {
    private static final List<ImagePrediction> IMAGES = List.of(
            new ImagePrediction("b/1.png", "b", WRIST, NORMAL, 0.2),
            new ImagePrediction("a/1.png", "a", ELBOW, ABNORMAL, 0.9),
            new ImagePrediction("b/2.png", "b", WRIST, NORMAL, 0.7),
            new ImagePrediction("a/2.png", "a", ELBOW, ABNORMAL, 0.3),
            new ImagePrediction("a/3.png", "a", ELBOW, ABNORMAL, 0.6),
            new ImagePrediction("c/1.png", "c", WRIST, ABNORMAL, 0.45));

    @Test
    void meanAveragesEachStudyAndSortsByStudyId() {
        List<StudyPrediction> studies = StudyAggregation.MEAN.aggregate(IMAGES);
        assertEquals(List.of("a", "b", "c"), studies.stream().map(StudyPrediction::studyId).toList());
        assertEquals(new StudyPrediction("a", ELBOW, ABNORMAL, (0.9 + 0.3 + 0.6) / 3, 3), studies.get(0));
        assertEquals(new StudyPrediction("b", WRIST, NORMAL, (0.2 + 0.7) / 2, 2), studies.get(1));
        assertEquals(new StudyPrediction("c", WRIST, ABNORMAL, 0.45, 1), studies.get(2));
    }

    @Test
    void maxTakesTheMostAbnormalView() {
        List<StudyPrediction> studies = StudyAggregation.MAX.aggregate(IMAGES);
        assertEquals(List.of(0.9, 0.7, 0.45), studies.stream().map(StudyPrediction::probability).toList());
        assertEquals(List.of(3, 2, 1), studies.stream().map(StudyPrediction::imageCount).toList());
    }

    @Test
    void meanAndMaxCanDisagreeOnTheDecision() {
        // Study b: mean 0.45 (normal), max 0.7 (abnormal) at MURA's 0.5.
        assertTrue(StudyAggregation.MEAN.aggregate(IMAGES).get(1).probability() <= 0.5);
        assertTrue(StudyAggregation.MAX.aggregate(IMAGES).get(1).probability() > 0.5);
    }

    @Test
    void refusesAStudyWithTwoLabels() {
        List<ImagePrediction> bad = List.of(new ImagePrediction("s/1.png", "s", WRIST, NORMAL, 0.2),
                new ImagePrediction("s/2.png", "s", WRIST, ABNORMAL, 0.7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudyAggregation.MEAN.aggregate(bad));
        assertTrue(e.getMessage().contains("study s") && e.getMessage().contains("s/2.png"), e.getMessage());
    }

    @Test
    void refusesAStudyWithTwoBodyParts() {
        List<ImagePrediction> bad = List.of(new ImagePrediction("s/1.png", "s", WRIST, NORMAL, 0.2),
                new ImagePrediction("s/2.png", "s", ELBOW, NORMAL, 0.7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudyAggregation.MAX.aggregate(bad));
        assertTrue(e.getMessage().contains("ELBOW") && e.getMessage().contains("WRIST"), e.getMessage());
    }

    @Test
    void refusesProbabilitiesOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new ImagePrediction("x", "s", WRIST, NORMAL, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new ImagePrediction("x", "s", WRIST, NORMAL, Double.NaN));
    }
}
