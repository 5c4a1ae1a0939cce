package org.bonexray.train;

import java.util.SplittableRandom;

/**
 * Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) of training batches, each with a probability per batch.
 * A mixed batch pairs every image with another of the same batch (a seeded permutation) and blends them with a
 * share {@code lambda ~ Beta(alpha, alpha)}: mixup blends the pixels, CutMix pastes a box of the partner covering
 * {@code 1 - lambda} of the image (lambda then set to the box's exact share). Labels and the per-image loss weights
 * blend so that the weighted loss equals {@code lambda * loss(own label) + (1 - lambda) * loss(partner's)} exactly:
 * binary cross-entropy is affine in its label. Each batch draws from a generator seeded by (seed, epoch, step),
 * so a resumed epoch mixes exactly as the uninterrupted one did, with no generator state to save.
 *
 * @param mixupProbability chance that a batch is mixed up, in [0, 1]
 * @param cutmixProbability chance that a batch is cut and mixed instead, in [0, 1 - mixupProbability]
 * @param alpha the Beta distribution's parameter, positive (1 draws lambda uniformly)
 */
public record BatchMixing(double mixupProbability, double cutmixProbability, double alpha) {
    /** Checks the probabilities and alpha. */
    public BatchMixing {
        if (!(mixupProbability >= 0 && cutmixProbability >= 0 && mixupProbability + cutmixProbability <= 1)) {
            throw new IllegalArgumentException("mixup and cutmix probabilities must be >= 0 and sum to at most 1, got "
                    + mixupProbability + " and " + cutmixProbability);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("mixing alpha must be positive, got " + alpha);
        }
    }

    /** Reads mixing settings from JSON: absent probabilities are 0, an absent alpha is 1 (a uniform share). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static BatchMixing fromJson(@com.fasterxml.jackson.annotation.JsonProperty("mixupProbability") Double mixup,
                                       @com.fasterxml.jackson.annotation.JsonProperty("cutmixProbability") Double cutmix,
                                       @com.fasterxml.jackson.annotation.JsonProperty("alpha") Double alpha) {
        return new BatchMixing(mixup == null ? 0 : mixup, cutmix == null ? 0 : cutmix, alpha == null ? 1 : alpha);
    }

    /** Whether no batch is ever mixed. */
    @com.fasterxml.jackson.annotation.JsonIgnore // derived, not a setting
    public boolean isOff() {
        return mixupProbability == 0 && cutmixProbability == 0;
    }

    /**
     * A batch's images, labels and weights, mixed in place when this batch's draw says so.
     *
     * @param pixels the images, image by image, channel by channel ({@code count * 3 * size * size})
     * @param labels one label per image
     * @param weights one loss weight per image
     * @param size side of the square images
     * @param rng this batch's generator
     * @return whether the batch was mixed
     */
    public boolean mix(float[] pixels, float[] labels, float[] weights, int size, SplittableRandom rng) {
        int count = labels.length;
        if (isOff() || count < 2) {
            return false;
        }
        double u = rng.nextDouble();
        boolean mixup = u < mixupProbability;
        if (!mixup && u >= mixupProbability + cutmixProbability) {
            return false;
        }
        double lambda = beta(rng, alpha);
        int[] partner = permutation(rng, count);
        int perImage = pixels.length / count;
        float[] original = pixels.clone();
        int[] box = mixup ? null : box(rng, size, lambda);
        if (box != null) {
            lambda = 1 - (double) (box[2] - box[0]) * (box[3] - box[1]) / (size * size);
        }
        for (int i = 0; i < count; i++) {
            int j = partner[i];
            if (mixup) {
                float a = (float) lambda;
                float b = (float) (1 - lambda);
                for (int k = 0; k < perImage; k++) {
                    pixels[i * perImage + k] = a * original[i * perImage + k] + b * original[j * perImage + k];
                }
            } else {
                paste(original, pixels, i, j, perImage, size, box);
            }
        }
        blendTargets(labels, weights, partner, lambda);
        return true;
    }

    /** Blends labels and weights: w = l*w_i + (1-l)*w_j, y = (l*w_i*y_i + (1-l)*w_j*y_j) / w. */
    private static void blendTargets(float[] labels, float[] weights, int[] partner, double lambda) {
        float[] y = labels.clone();
        float[] w = weights.clone();
        for (int i = 0; i < labels.length; i++) {
            int j = partner[i];
            double weight = lambda * w[i] + (1 - lambda) * w[j];
            double label = weight > 0 ? (lambda * w[i] * y[i] + (1 - lambda) * w[j] * y[j]) / weight
                    : lambda * y[i] + (1 - lambda) * y[j];
            weights[i] = (float) weight;
            labels[i] = (float) label;
        }
    }

    /** CutMix's box {x0, y0, x1, y1}: sides sqrt(1 - lambda) of the image's, centre uniform, clipped to the image. */
    private static int[] box(SplittableRandom rng, int size, double lambda) {
        int side = (int) Math.round(size * Math.sqrt(1 - lambda));
        int cx = rng.nextInt(size);
        int cy = rng.nextInt(size);
        return new int[] {Math.max(0, cx - side / 2), Math.max(0, cy - side / 2),
            Math.min(size, cx + (side + 1) / 2), Math.min(size, cy + (side + 1) / 2)};
    }

    private static void paste(float[] original, float[] pixels, int i, int j, int perImage, int size, int[] box) {
        int planes = perImage / (size * size);
        for (int c = 0; c < planes; c++) {
            int plane = c * size * size;
            for (int y = box[1]; y < box[3]; y++) {
                int row = plane + y * size;
                System.arraycopy(original, j * perImage + row + box[0], pixels, i * perImage + row + box[0], box[2] - box[0]);
            }
        }
    }

    private static int[] permutation(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }

    /** Beta(a, a) as X / (X + Y) of two Gamma(a) draws. */
    static double beta(SplittableRandom rng, double a) {
        double x = gamma(rng, a);
        double y = gamma(rng, a);
        return x + y > 0 ? x / (x + y) : 0.5;
    }

    /** Marsaglia and Tsang's Gamma(a, 1) sampler; below 1, Gamma(a + 1) * U^(1/a). */
    private static double gamma(SplittableRandom rng, double a) {
        if (a < 1) {
            return gamma(rng, a + 1) * Math.pow(rng.nextDouble(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = normal(rng);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** A standard normal draw (Box-Muller; the generator alone decides it, unlike {@code Random.nextGaussian}). */
    private static double normal(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
