package org.bonexray.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Seconds per timed iteration, summarised by the median, which one slow outlier (GC, a neighbour) cannot move. */
public record Timings(List<Double> seconds) {
    /** Copies and validates the timings. */
    public Timings {
        seconds = List.copyOf(seconds);
        if (seconds.isEmpty()) {
            throw new IllegalArgumentException("no timed iterations");
        }
        if (seconds.stream().anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("timings must be positive: " + seconds);
        }
    }

    /** @return the median seconds per iteration (mean of the middle two for an even count) */
    public double median() {
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** @return the fastest iteration's seconds */
    public double min() {
        return Collections.min(seconds);
    }

    /**
     * Images per second at the median iteration.
     *
     * @param imagesPerIteration batch size
     * @return the rate
     */
    public double imagesPerSecond(int imagesPerIteration) {
        return imagesPerIteration / median();
    }
}
