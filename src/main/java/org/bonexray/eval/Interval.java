package org.bonexray.eval;

/**
 * A bootstrap percentile interval of one metric.
 *
 * @param lower     the lower percentile
 * @param upper     the upper percentile
 * @param resamples how many resamples had the metric defined and so went into the interval
 */
public record Interval(double lower, double upper, int resamples) {

    public Interval {
        if (!(lower <= upper) || resamples < 1) {
            throw new IllegalArgumentException("bad interval [" + lower + ", " + upper + "] from " + resamples);
        }
    }

    public double width() {
        return upper - lower;
    }

    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }
}
