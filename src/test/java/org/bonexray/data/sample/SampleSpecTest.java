package org.bonexray.data.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SampleSpecTest {

    @Test
    void defaultIsTheSmallBundledSample() {
        SampleSpec d = SampleSpec.DEFAULT;
        assertEquals(42, d.seed());
        assertEquals(60, d.trainStudiesPerPart());
        assertEquals(15, d.validStudiesPerPart());
        assertEquals(200, d.minSide());
        assertEquals(512, d.maxSide());
        assertEquals(0.45, d.abnormalFraction());
    }

    @Test
    void rejectsImpossibleSpecs() {
        assertThrows(IllegalArgumentException.class, () -> new SampleSpec(1, 0, 1, 64, 128, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new SampleSpec(1, 1, 0, 64, 128, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new SampleSpec(1, 1, 1, 128, 64, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new SampleSpec(1, 1, 1, 16, 64, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new SampleSpec(1, 1, 1, 64, 4096, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new SampleSpec(1, 1, 1, 64, 128, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new SampleSpec(1, 1, 1, 64, 128, Double.NaN));
    }

    @Test
    void planNumbersPatientsUniquelyTrainFirstAndHonoursTheAbnormalShare() {
        SampleSpec spec = new SampleSpec(3, 10, 4, 64, 96, 0.4);
        var plans = SamplePlanner.plan(spec);
        assertEquals(7 * 14, plans.size());
        int lastTrainPatient = plans.stream().filter(p -> p.split() == org.bonexray.data.Split.TRAIN)
                .mapToInt(StudyPlan::patient).max().orElseThrow();
        int firstValidPatient = plans.stream().filter(p -> p.split() == org.bonexray.data.Split.VALID)
                .mapToInt(StudyPlan::patient).min().orElseThrow();
        assertEquals(lastTrainPatient + 1, firstValidPatient);
        long abnormalTrainWrist = plans.stream().filter(p -> p.split() == org.bonexray.data.Split.TRAIN
                && p.bodyPart() == org.bonexray.data.BodyPart.WRIST && p.label().isAbnormal()).count();
        assertEquals(4, abnormalTrainWrist);
        assertEquals(true, plans.stream().anyMatch(p -> p.study() > 1), "some patients have several studies");
        assertEquals(true, plans.stream().allMatch(p -> p.views() >= 1 && p.views() <= 4));
    }
}
