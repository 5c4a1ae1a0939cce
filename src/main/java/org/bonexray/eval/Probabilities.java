package org.bonexray.eval;

/** Checks shared by everything that holds a predicted probability. */
final class Probabilities {

    private Probabilities() {
    }

    /** Refuses NaN, infinities and values outside [0, 1], naming {@code what} the value belongs to. */
    static void check(double p, String what) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(what + ": probability must be in [0, 1], got " + p);
        }
    }

    /** Checks a decision threshold: finite and in [0, 1]. */
    static double checkThreshold(double t) {
        if (!(t >= 0.0 && t <= 1.0)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + t);
        }
        return t;
    }
}
