package org.bonexray.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How far an ensemble's members disagree on one study: each member's study probability is the study rule applied to
 * that member's view probabilities (with the ensemble's temperature); the spread is their population standard
 * deviation, with the lowest and highest. With the mean rule and temperature 1 the ensemble's study probability is
 * the mean of these.
 *
 * @param members how many members gave a probability
 * @param sd population standard deviation of the members' study probabilities
 * @param min the lowest member probability
 * @param max the highest member probability
 */
public record MemberSpread(int members, double sd, double min, double max) {
    /**
     * @param memberViews per member, the study's view probabilities (calibrated as the ensemble's are)
     * @param aggregation the study rule
     * @return the spread of the members' study probabilities
     */
    public static MemberSpread of(double[][] memberViews, StudyAggregation aggregation) {
        double[] study = new double[memberViews.length];
        for (int m = 0; m < memberViews.length; m++) {
            study[m] = aggregation.combine(memberViews[m]);
        }
        return ofStudies(study);
    }

    /** The spread of members' study probabilities. */
    public static MemberSpread ofStudies(double[] study) {
        if (study.length == 0) {
            throw new IllegalArgumentException("a spread needs at least one member");
        }
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double p : study) {
            mean += p;
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        mean /= study.length;
        double squares = 0;
        for (double p : study) {
            squares += (p - mean) * (p - mean);
        }
        return new MemberSpread(study.length, Math.sqrt(squares / study.length), min, max);
    }

    /** @return max - min */
    @JsonProperty("range")
    public double range() {
        return max - min;
    }
}
