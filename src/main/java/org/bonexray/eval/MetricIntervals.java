package org.bonexray.eval;

/**
 * Bootstrap intervals of the headline metrics; a field is null when no resample had the metric defined
 * (or when intervals were turned off).
 *
 * @param resamples the number of resamples drawn; each interval says how many of them it used
 */
public record MetricIntervals(Interval accuracy, Interval sensitivity, Interval specificity, Interval f1,
                              Interval kappa, Interval auroc, int resamples) {

    /** No intervals at all. */
    public static MetricIntervals none() {
        return new MetricIntervals(null, null, null, null, null, null, 0);
    }
}
