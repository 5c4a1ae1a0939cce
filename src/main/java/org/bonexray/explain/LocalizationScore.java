package org.bonexray.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * One method's (or baseline's) localisation over a set of images: pointing-game hit rate with Wilson's 95%
 * interval, and mean mass fraction with a normal-approximation 95% interval.
 *
 * @param name       method or baseline
 * @param n          images scored
 * @param hits       pointing-game hits
 * @param hitRate    hits / n
 * @param hitLower   Wilson 95% lower bound
 * @param hitUpper   Wilson 95% upper bound
 * @param meanMass   mean fraction of map mass inside the boxes
 * @param massLower  mean - 1.96 standard errors (clipped to 0)
 * @param massUpper  mean + 1.96 standard errors (clipped to 1)
 */
public record LocalizationScore(String name, int n, int hits, double hitRate, double hitLower, double hitUpper,
                                double meanMass, double massLower, double massUpper) {

    /** Collects one method's per-image outcomes. */
    public static final class Tally {
        private final String name;
        private int hits;
        private final List<Double> masses = new ArrayList<>();

        public Tally(String name) {
            this.name = name;
        }

        /** Adds one image's outcome. */
        public void add(boolean hit, double mass) {
            hits += hit ? 1 : 0;
            masses.add(mass);
        }

        /** The score so far (null before the first image). */
        public LocalizationScore score() {
            int n = masses.size();
            if (n == 0) {
                return null;
            }
            double[] wilson = LocalizationMetrics.wilson95(hits, n);
            double mean = masses.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double var = n > 1 ? masses.stream().mapToDouble(m -> (m - mean) * (m - mean)).sum() / (n - 1) : 0;
            double half = 1.959963984540054 * Math.sqrt(var / n);
            return new LocalizationScore(name, n, hits, (double) hits / n, wilson[0], wilson[1], mean,
                    Math.max(0, mean - half), Math.min(1, mean + half));
        }
    }
}
