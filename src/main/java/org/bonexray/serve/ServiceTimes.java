package org.bonexray.serve;

/**
 * The batcher's measured service time per view, an exponentially weighted mean over recent batches (each batch's
 * time divided by its views; the weight of the newest is 0.2), from which the queue estimates when a newly
 * arriving study would be answered.
 */
final class ServiceTimes {
    private static final double WEIGHT = 0.2;
    private double nanosPerView = Double.NaN;

    /** Records one batch: its wall time (forward and heatmaps) and its views. */
    synchronized void record(long nanos, int views) {
        double perView = (double) nanos / views;
        nanosPerView = Double.isNaN(nanosPerView) ? perView : WEIGHT * perView + (1 - WEIGHT) * nanosPerView;
    }

    /** @return the mean service time per view in seconds, NaN before the first batch */
    synchronized double secondsPerView() {
        return nanosPerView / 1e9;
    }

    /**
     * @param views views to go through the network before (and including) a study's own
     * @param workers batcher threads sharing them
     * @return the estimated time until they are done, 0 before anything was measured
     */
    synchronized long estimateNanos(int views, int workers) {
        return Double.isNaN(nanosPerView) ? 0 : (long) (nanosPerView * views / workers);
    }
}
