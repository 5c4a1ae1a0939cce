package org.bonexray.data.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;
import org.bonexray.data.Split;

/**
 * Lays out patients, studies, labels and view counts like MURA: train patients numbered first, then valid
 * ones; most patients have one study, some two or three (labels drawn per study, so they may differ).
 */
final class SamplePlanner {
    /** MURA's views per study are mostly 2 or 3: probabilities of 1, 2, 3 and 4 views. */
    private static final double[] VIEW_PROBABILITIES = {0.10, 0.45, 0.35, 0.10};
    /** Probabilities of a patient having 1, 2 or 3 studies. */
    private static final double[] STUDIES_PER_PATIENT = {0.75, 0.20, 0.05};

    private SamplePlanner() {
    }

    /** Plans every study of the sample, in the order they are written to the CSVs. */
    static List<StudyPlan> plan(SampleSpec spec) {
        SplittableRandom rng = new SplittableRandom(spec.seed());
        List<StudyPlan> plans = new ArrayList<>();
        int patient = 0;
        for (Split split : Split.values()) {
            int perPart = split == Split.TRAIN ? spec.trainStudiesPerPart() : spec.validStudiesPerPart();
            for (BodyPart part : BodyPart.values()) {
                boolean[] abnormal = labels(perPart, spec.abnormalFraction(), rng);
                int made = 0;
                while (made < perPart) {
                    patient++;
                    int studies = Math.min(perPart - made, 1 + pick(STUDIES_PER_PATIENT, rng));
                    for (int s = 1; s <= studies; s++) {
                        plans.add(new StudyPlan(plans.size(), split, part, patient, s, Label.of(abnormal[made]),
                                1 + pick(VIEW_PROBABILITIES, rng)));
                        made++;
                    }
                }
            }
        }
        return plans;
    }

    /** Exactly {@code round(n * fraction)} abnormal labels, shuffled. */
    private static boolean[] labels(int n, double fraction, SplittableRandom rng) {
        boolean[] out = new boolean[n];
        int abnormal = (int) Math.round(n * fraction);
        for (int i = 0; i < abnormal; i++) {
            out[i] = true;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            boolean t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    private static int pick(double[] probabilities, SplittableRandom rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < probabilities.length - 1; i++) {
            u -= probabilities[i];
            if (u < 0) {
                return i;
            }
        }
        return probabilities.length - 1;
    }

    /** The seed of one study's generator: a SplitMix64 mix of the sample seed and the study index. */
    static long studySeed(long seed, int studyIndex) {
        long z = seed + 0x9E3779B97F4A7C15L * (studyIndex + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
