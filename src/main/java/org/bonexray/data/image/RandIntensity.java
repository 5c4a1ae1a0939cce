package org.bonexray.data.image;

import java.util.random.RandomGenerator;

/**
 * Seeded brightness, contrast and gamma jitter of a radiograph's luminance, each factor drawn on its own range
 * (a zero range leaves it alone). Gamma changes how bone and soft tissue separate, as exposure and film
 * processing do between machines; brightness multiplies rather than adds, so the black background stays black.
 *
 * @param brightness brightness factor drawn uniformly in 1 +- this, in [0, 1)
 * @param contrast   contrast factor (about the image's mean) drawn uniformly in 1 +- this, in [0, 1)
 * @param gamma      gamma exponent drawn log-uniformly in [1/(1+gamma), 1+gamma], gamma in [0, 4]
 */
public record RandIntensity(double brightness, double contrast, double gamma) {
    /** Checks the ranges. */
    public RandIntensity {
        RandResizedCrop.require(brightness >= 0 && brightness < 1, "brightness jitter must be in [0, 1)", brightness);
        RandResizedCrop.require(contrast >= 0 && contrast < 1, "contrast jitter must be in [0, 1)", contrast);
        RandResizedCrop.require(gamma >= 0 && gamma <= 4, "gamma jitter must be in [0, 4]", gamma);
    }

    /** Whether every factor stays 1. */
    @com.fasterxml.jackson.annotation.JsonIgnore // derived, not a setting
    public boolean isIdentity() {
        return brightness == 0 && contrast == 0 && gamma == 0;
    }

    /** Draws one image's factors: gamma, contrast, brightness, skipping those whose range is zero. */
    public Factors draw(RandomGenerator rng) {
        double g = gamma > 0 ? Math.exp(rng.nextDouble(-Math.log1p(gamma), Math.log1p(gamma))) : 1;
        double c = contrast > 0 ? 1 + rng.nextDouble(-contrast, contrast) : 1;
        double b = brightness > 0 ? 1 + rng.nextDouble(-brightness, brightness) : 1;
        return new Factors(g, c, b);
    }

    /**
     * Drawn factors.
     *
     * @param gamma      luminance is raised to this power first
     * @param contrast   then stretched about its mean by this factor
     * @param brightness then multiplied by this factor, and clipped to [0, 1]
     */
    public record Factors(double gamma, double contrast, double brightness) {
        /** Checks the factors are positive and finite. */
        public Factors {
            RandResizedCrop.require(gamma > 0 && Double.isFinite(gamma), "gamma must be positive", gamma);
            RandResizedCrop.require(contrast >= 0 && Double.isFinite(contrast), "contrast must be >= 0", contrast);
            RandResizedCrop.require(brightness >= 0 && Double.isFinite(brightness), "brightness must be >= 0", brightness);
        }

        /** The image with the factors applied. */
        public GrayImage applyTo(GrayImage image) {
            float[] in = image.pixels();
            float[] curved = new float[in.length];
            double sum = 0;
            for (int i = 0; i < in.length; i++) {
                curved[i] = gamma == 1 ? in[i] : (float) Math.pow(Math.max(0f, in[i]), gamma);
                sum += curved[i];
            }
            float mean = (float) (sum / in.length);
            float c = (float) contrast;
            float b = (float) brightness;
            for (int i = 0; i < curved.length; i++) {
                curved[i] = Math.min(1f, Math.max(0f, ((curved[i] - mean) * c + mean) * b));
            }
            return new GrayImage(image.width(), image.height(), curved);
        }
    }
}
