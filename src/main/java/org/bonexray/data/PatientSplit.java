package org.bonexray.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits studies into training and validation sets by patient, so that no patient's radiographs are on
 * both sides (a patient's views look alike; leaking them inflates validation scores).
 *
 * <p>Stratified by body part and label: each patient falls in the stratum of their first study (by id);
 * within each stratum the patients, sorted by id, are shuffled with the seed and the first
 * {@code round(fraction * n)} go to validation. Same studies, fraction and seed give the same split.
 *
 * <p>Or one fold of k ({@link #of(List, double, long, ValidationFold)}): the strata are shuffled the same way and
 * their patients dealt to the folds in turn, one counter running on across strata, so every patient is in exactly
 * one fold, the folds' sizes differ by at most one patient, and each fold holds about 1/k of every stratum.
 *
 * @param train studies to train on
 * @param validation studies to select models on
 */
public record PatientSplit(List<Study> train, List<Study> validation) {

    public PatientSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    public static PatientSplit of(List<Study> studies, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        Set<String> validationPatients = new HashSet<>();
        for (List<String> patients : shuffledStrata(studies, seed)) {
            int n = (int) Math.round(validationFraction * patients.size());
            validationPatients.addAll(patients.subList(0, n));
        }
        return split(studies, validationPatients);
    }

    /**
     * The split a training run uses: one fold of k when {@code fold} is given, else the fraction's.
     *
     * @param studies the training studies
     * @param validationFraction share of patients held out when {@code fold} is null
     * @param seed the shuffling seed
     * @param fold the fold held out, or null
     * @return the split
     */
    public static PatientSplit of(List<Study> studies, double validationFraction, long seed, ValidationFold fold) {
        if (fold == null) {
            return of(studies, validationFraction, seed);
        }
        Set<String> validationPatients = new HashSet<>();
        int dealt = 0;
        for (List<String> patients : shuffledStrata(studies, seed)) {
            for (String patient : patients) {
                if (dealt++ % fold.folds() == fold.fold()) {
                    validationPatients.add(patient);
                }
            }
        }
        return split(studies, validationPatients);
    }

    /** Each stratum's patients (sorted by id, then shuffled with the seed), strata in a fixed order. */
    private static List<List<String>> shuffledStrata(List<Study> studies, long seed) {
        Map<String, List<Study>> byPatient = new TreeMap<>();
        for (Study s : studies) {
            byPatient.computeIfAbsent(s.patientId(), k -> new ArrayList<>()).add(s);
        }
        Map<String, List<String>> strata = new TreeMap<>();
        for (Map.Entry<String, List<Study>> e : byPatient.entrySet()) {
            Study first = e.getValue().stream().min(Comparator.comparing(Study::id)).orElseThrow();
            strata.computeIfAbsent(first.bodyPart() + "/" + first.label(), k -> new ArrayList<>()).add(e.getKey());
        }
        Random random = new Random(seed);
        List<List<String>> shuffled = new ArrayList<>();
        for (List<String> patients : strata.values()) {
            Collections.shuffle(patients, random);
            shuffled.add(patients);
        }
        return shuffled;
    }

    private static PatientSplit split(List<Study> studies, Set<String> validationPatients) {
        List<Study> train = new ArrayList<>();
        List<Study> validation = new ArrayList<>();
        for (Study s : studies) {
            (validationPatients.contains(s.patientId()) ? validation : train).add(s);
        }
        return new PatientSplit(train, validation);
    }

    /** Patients per side, for reports. */
    public Map<String, Integer> patientCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("train", (int) train.stream().map(Study::patientId).distinct().count());
        counts.put("validation", (int) validation.stream().map(Study::patientId).distinct().count());
        return counts;
    }
}
