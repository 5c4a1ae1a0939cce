package org.bonexray.predict;

import java.util.Locale;

/**
 * Temperature scaling (Guo et al. 2017, "On calibration of modern neural networks"): the one parameter T of
 * {@code sigmoid(logit(p) / T)} that minimises the negative log-likelihood of validation labels. Over-confident
 * models get T > 1. The likelihood is convex in 1/T, so a golden-section search on [1/20, 20] finds it; the map is
 * monotone, so AUROC is unchanged. Hand-rolled: one-dimensional, and no maintained Java library fits it.
 */
public final class Temperature {
    static final double MIN = 0.05;
    static final double MAX = 20;
    private static final int ITERATIONS = 100;
    /** Probabilities are kept this far from 0 and 1 before the logit, where doubles still separate them. */
    static final double EDGE = 1e-15;

    private Temperature() {
    }

    /**
     * The fitted temperature.
     *
     * @param probabilities uncalibrated probabilities
     * @param labels their labels, 0 or 1
     * @return T in [1/20, 20]
     */
    public static double fit(double[] probabilities, int[] labels) {
        if (probabilities.length != labels.length || probabilities.length == 0) {
            throw new IllegalArgumentException("a temperature needs probabilities and as many labels, got "
                    + probabilities.length + " and " + labels.length);
        }
        double[] logits = new double[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            double p = Math.min(1 - EDGE, Math.max(EDGE, probabilities[i]));
            logits[i] = Math.log(p / (1 - p));
        }
        double phi = (Math.sqrt(5) - 1) / 2;
        double lo = 1 / MAX;
        double hi = 1 / MIN;
        double a = hi - phi * (hi - lo);
        double b = lo + phi * (hi - lo);
        double fa = nll(logits, labels, a);
        double fb = nll(logits, labels, b);
        for (int k = 0; k < ITERATIONS; k++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - phi * (hi - lo);
                fa = nll(logits, labels, a);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + phi * (hi - lo);
                fb = nll(logits, labels, b);
            }
        }
        return 1 / ((lo + hi) / 2);
    }

    /** Mean negative log-likelihood of the labels under {@code sigmoid(scale * logit)}, stable for large logits. */
    static double nll(double[] logits, int[] labels, double scale) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double z = scale * logits[i];
            sum += Math.max(z, 0) - z * labels[i] + Math.log1p(Math.exp(-Math.abs(z)));
        }
        return sum / logits.length;
    }

    /** {@code sigmoid(logit(p) / temperature)}; exactly {@code p} at temperature 1. */
    public static double scale(double p, double temperature) {
        if (temperature == 1) {
            return p;
        }
        double clamped = Math.min(1 - EDGE, Math.max(EDGE, p));
        return DatasetInference.sigmoid(Math.log(clamped / (1 - clamped)) / temperature);
    }

    /** A short description for reports. */
    public static String describe(double temperature) {
        return String.format(Locale.ROOT, "temperature %.4f (sigmoid(logit(p) / T))", temperature);
    }
}
