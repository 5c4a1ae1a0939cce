package org.bonexray.eval;

/**
 * How confidence intervals are resampled.
 *
 * @param resamples  number of bootstrap resamples; 0 turns intervals off
 * @param seed       seed of the resampling generator; the same seed gives the same intervals
 * @param confidence coverage of the percentile interval, in (0, 1), for example 0.95
 */
public record BootstrapSettings(int resamples, long seed, double confidence) {
    public static final int DEFAULT_RESAMPLES = 1000;
    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public BootstrapSettings {
        if (resamples < 0) {
            throw new IllegalArgumentException("resamples must be >= 0, got " + resamples);
        }
        if (!(confidence > 0.0 && confidence < 1.0)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    /** 1000 resamples, seed 42, 95% intervals. */
    public static BootstrapSettings defaults() {
        return new BootstrapSettings(DEFAULT_RESAMPLES, DEFAULT_SEED, DEFAULT_CONFIDENCE);
    }

    /** No intervals. */
    public static BootstrapSettings none() {
        return new BootstrapSettings(0, DEFAULT_SEED, DEFAULT_CONFIDENCE);
    }
}
