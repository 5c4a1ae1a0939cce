package org.bonexray.data.sample;

/**
 * What the synthetic MURA-format sample contains: seed, studies per body part and split, image side range
 * and the share of abnormal studies.
 *
 * @param seed                 the seed every random choice derives from; one seed gives byte-identical files
 * @param trainStudiesPerPart  studies per body part in the train split
 * @param validStudiesPerPart  studies per body part in the valid split
 * @param minSide              smallest image side in pixels
 * @param maxSide              largest image side in pixels
 * @param abnormalFraction     share of abnormal studies in each split and body part, in [0, 1]
 */
public record SampleSpec(long seed, int trainStudiesPerPart, int validStudiesPerPart, int minSide, int maxSide,
                         double abnormalFraction) {

    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_TRAIN_STUDIES = 60;
    public static final int DEFAULT_VALID_STUDIES = 15;
    public static final int DEFAULT_MIN_SIDE = 200;
    public static final int DEFAULT_MAX_SIDE = 512;
    public static final double DEFAULT_ABNORMAL_FRACTION = 0.45;
    /** Below this the anatomy and findings no longer fit in an image. */
    public static final int SMALLEST_SIDE = 48;
    public static final int LARGEST_SIDE = 2048;

    /** The project's bundled sample: generated in seconds, enough for the demo's small network to learn its findings in minutes. */
    public static final SampleSpec DEFAULT = new SampleSpec(DEFAULT_SEED, DEFAULT_TRAIN_STUDIES,
            DEFAULT_VALID_STUDIES, DEFAULT_MIN_SIDE, DEFAULT_MAX_SIDE, DEFAULT_ABNORMAL_FRACTION);

    public SampleSpec {
        if (trainStudiesPerPart < 1 || trainStudiesPerPart > 100_000) {
            throw new IllegalArgumentException("train studies per body part must be 1..100000, got "
                    + trainStudiesPerPart);
        }
        if (validStudiesPerPart < 1 || validStudiesPerPart > 100_000) {
            throw new IllegalArgumentException("valid studies per body part must be 1..100000, got "
                    + validStudiesPerPart);
        }
        if (minSide < SMALLEST_SIDE || maxSide > LARGEST_SIDE || minSide > maxSide) {
            throw new IllegalArgumentException("image sides must satisfy " + SMALLEST_SIDE + " <= min side <= max side <= "
                    + LARGEST_SIDE + ", got min " + minSide + ", max " + maxSide);
        }
        if (!(abnormalFraction >= 0 && abnormalFraction <= 1)) {
            throw new IllegalArgumentException("abnormal fraction must be in [0, 1], got " + abnormalFraction);
        }
    }

    /** A copy with another seed. */
    public SampleSpec withSeed(long newSeed) {
        return new SampleSpec(newSeed, trainStudiesPerPart, validStudiesPerPart, minSide, maxSide, abnormalFraction);
    }
}
