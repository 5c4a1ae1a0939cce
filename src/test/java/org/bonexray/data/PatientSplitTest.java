package org.bonexray.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PatientSplitTest {

    /** 7 body parts x 40 patients, each with 1-3 studies of mixed labels. */
    static List<Study> studies() {
        List<Study> out = new ArrayList<>();
        int patient = 0;
        for (BodyPart part : BodyPart.values()) {
            for (int p = 0; p < 40; p++) {
                patient++;
                for (int s = 1; s <= 1 + patient % 3; s++) {
                    Label label = Label.of((patient + s) % 2 == 0);
                    String id = String.format("train/%s/patient%05d/study%d_%s", part.folderName(), patient, s, label.folderSuffix());
                    out.add(new Study(id, Split.TRAIN, part, String.format("patient%05d", patient), label, List.of(Path.of(id, "image1.png"))));
                }
            }
        }
        return out;
    }

    @Test
    void noPatientOnBothSidesAndNothingLost() {
        List<Study> all = studies();
        PatientSplit split = PatientSplit.of(all, 0.2, 7);
        Set<String> train = split.train().stream().map(Study::patientId).collect(Collectors.toSet());
        Set<String> validation = split.validation().stream().map(Study::patientId).collect(Collectors.toSet());
        assertFalse(train.stream().anyMatch(validation::contains));
        assertEquals(all.size(), split.train().size() + split.validation().size());
        assertEquals(new HashSet<>(all), new HashSet<>(concat(split)));
        assertEquals(280, train.size() + validation.size());
        assertEquals(56, validation.size(), 4); // 20% of 280 patients, rounded per stratum
    }

    @Test
    void stratifiedByBodyPartAndLabel() {
        PatientSplit split = PatientSplit.of(studies(), 0.2, 7);
        for (BodyPart part : BodyPart.values()) {
            for (Label label : Label.values()) {
                long n = split.validation().stream().filter(s -> s.bodyPart() == part && s.label() == label).count();
                assertTrue(n > 0, part + " " + label + " missing from validation");
            }
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<Study> all = studies();
        assertEquals(PatientSplit.of(all, 0.2, 7), PatientSplit.of(all, 0.2, 7));
        assertNotEquals(PatientSplit.of(all, 0.2, 7).validation(), PatientSplit.of(all, 0.2, 8).validation());
    }

    @Test
    void zeroFractionKeepsEverythingForTrainingAndBadFractionIsRefused() {
        assertTrue(PatientSplit.of(studies(), 0, 1).validation().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> PatientSplit.of(studies(), 1.0, 1));
    }

    @Test
    void foldsCoverEveryPatientOnceAndEachFoldIsStratified() {
        List<Study> all = studies();
        Map<String, Integer> foldOf = new HashMap<>();
        for (int fold = 0; fold < 3; fold++) {
            PatientSplit split = PatientSplit.of(all, 0.2, 7, new ValidationFold(3, fold));
            assertEquals(all.size(), split.train().size() + split.validation().size());
            Set<String> train = split.train().stream().map(Study::patientId).collect(Collectors.toSet());
            for (Study s : split.validation()) {
                assertFalse(train.contains(s.patientId()), s.patientId() + " on both sides of fold " + fold);
                Integer before = foldOf.put(s.patientId(), fold);
                assertTrue(before == null || before == fold, s.patientId() + " in folds " + before + " and " + fold);
            }
            assertEquals(280 / 3.0, split.patientCounts().get("validation"), 1.0, "fold sizes differ by at most one");
            for (BodyPart part : BodyPart.values()) {
                for (Label label : Label.values()) {
                    assertTrue(split.validation().stream().anyMatch(s -> s.bodyPart() == part && s.label() == label),
                            part + " " + label + " missing from fold " + fold);
                }
            }
        }
        assertEquals(280, foldOf.size(), "every patient validates exactly one fold");
        assertEquals(PatientSplit.of(all, 0.2, 7, null), PatientSplit.of(all, 0.2, 7), "no fold: the fraction's split");
        assertEquals(PatientSplit.of(all, 0.5, 7, new ValidationFold(3, 1)),
                PatientSplit.of(all, 0.2, 7, new ValidationFold(3, 1)), "a fold ignores the fraction");
        assertThrows(IllegalArgumentException.class, () -> new ValidationFold(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ValidationFold(3, 3));
    }

    private static List<Study> concat(PatientSplit s) {
        List<Study> all = new ArrayList<>(s.train());
        all.addAll(s.validation());
        return all;
    }
}
