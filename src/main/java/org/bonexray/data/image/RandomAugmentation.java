package org.bonexray.data.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.random.RandomGenerator;

/**
 * Seeded random augmentation of training radiographs: horizontal flip, rotation about the centre, zoom, and
 * contrast/brightness jitter, optionally a random resized crop ({@link RandResizedCrop}) and brightness, contrast
 * and gamma jitter ({@link RandIntensity}). Kept apart from the deterministic {@link Preprocessing}.
 *
 * <p>Where it goes: after {@link Preprocessing#resize} and before {@link Preprocessing#toChw}. Rotating the
 * 224 px square costs a fifth of rotating the 512 px original, and the network sees the same kind of input
 * either way (the interpolation blur of one bilinear pass at the input resolution).
 *
 * <p>Determinism: {@link #draw} takes its numbers from the generator in a fixed order, skipping disabled
 * transforms, so the same image, settings and generator state give the same output. The crop and the intensity
 * jitter draw after the older transforms, so settings without them replay the draws of earlier versions.
 *
 * @param flipProbability    chance of a left-right mirror, in [0, 1] (lateral views of either arm)
 * @param maxRotationDegrees rotation drawn uniformly in +-this, in [0, 180]
 * @param scaleJitter        zoom drawn uniformly in 1 +- this about the centre, in [0, 1)
 * @param contrastJitter     contrast and brightness factors each drawn uniformly in 1 +- this, in [0, 1]
 * @param crop               random resized crop, applied first; null for none
 * @param intensity          brightness, contrast and gamma jitter, applied last; null for none
 */
public record RandomAugmentation(double flipProbability, double maxRotationDegrees, double scaleJitter,
        double contrastJitter, @JsonInclude(JsonInclude.Include.NON_NULL) RandResizedCrop crop,
        @JsonInclude(JsonInclude.Include.NON_NULL) RandIntensity intensity) {
    /** No augmentation: {@link #apply} returns its input. */
    public static final RandomAugmentation NONE = new RandomAugmentation(0, 0, 0, 0);
    /** MURA's baseline: random lateral flips and rotations up to 30 degrees. */
    public static final RandomAugmentation MURA = new RandomAugmentation(0.5, 30, 0, 0);

    /** Checks every range. */
    public RandomAugmentation {
        check(flipProbability >= 0 && flipProbability <= 1, "flip probability must be in [0, 1]", flipProbability);
        check(maxRotationDegrees >= 0 && maxRotationDegrees <= 180, "rotation must be in [0, 180] degrees",
                maxRotationDegrees);
        check(scaleJitter >= 0 && scaleJitter < 1, "scale jitter must be in [0, 1)", scaleJitter);
        check(contrastJitter >= 0 && contrastJitter <= 1, "contrast jitter must be in [0, 1]", contrastJitter);
        crop = crop == null || crop.isIdentity() ? null : crop;
        intensity = intensity == null || intensity.isIdentity() ? null : intensity;
    }

    /** The older transforms only: flip, rotation, zoom, contrast/brightness. */
    public RandomAugmentation(double flipProbability, double maxRotationDegrees, double scaleJitter, double contrastJitter) {
        this(flipProbability, maxRotationDegrees, scaleJitter, contrastJitter, null, null);
    }

    /** These settings with a random resized crop (null for none). */
    public RandomAugmentation withCrop(RandResizedCrop value) {
        return new RandomAugmentation(flipProbability, maxRotationDegrees, scaleJitter, contrastJitter, value, intensity);
    }

    /** These settings with brightness, contrast and gamma jitter (null for none). */
    public RandomAugmentation withIntensity(RandIntensity value) {
        return new RandomAugmentation(flipProbability, maxRotationDegrees, scaleJitter, contrastJitter, crop, value);
    }

    private static void check(boolean ok, String rule, double value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ", got " + value);
        }
    }

    /** Whether every transform is disabled. */
    @com.fasterxml.jackson.annotation.JsonIgnore // derived, not a setting
    public boolean isIdentity() {
        return flipProbability == 0 && maxRotationDegrees == 0 && scaleJitter == 0 && contrastJitter == 0
                && crop == null && intensity == null;
    }

    /** Draws the transform parameters for one image. */
    public Draw draw(RandomGenerator rng) {
        boolean flip = flipProbability > 0 && rng.nextDouble() < flipProbability;
        double angle = maxRotationDegrees > 0 ? rng.nextDouble(-maxRotationDegrees, maxRotationDegrees) : 0;
        double zoom = scaleJitter > 0 ? 1 + rng.nextDouble(-scaleJitter, scaleJitter) : 1;
        double contrast = contrastJitter > 0 ? 1 + rng.nextDouble(-contrastJitter, contrastJitter) : 1;
        double brightness = contrastJitter > 0 ? 1 + rng.nextDouble(-contrastJitter, contrastJitter) : 1;
        return new Draw(flip, angle, zoom, contrast, brightness);
    }

    /**
     * A randomly transformed copy of {@code image}, the same size (or {@code image} itself for {@link #NONE}): the
     * crop first, then flip, rotation, zoom and contrast, then the intensity jitter. The generator is read in the
     * order flip, rotation, zoom, contrast, crop, intensity.
     */
    public GrayImage apply(GrayImage image, RandomGenerator rng) {
        if (isIdentity()) {
            return image;
        }
        Draw geometry = draw(rng);
        RandResizedCrop.Box box = crop == null ? null : crop.draw(rng, image.width(), image.height());
        RandIntensity.Factors factors = intensity == null ? null : intensity.draw(rng);
        GrayImage out = geometry.applyTo(box == null ? image : box.applyTo(image));
        return factors == null ? out : factors.applyTo(out);
    }

    /**
     * One drawn set of transform parameters.
     *
     * @param flip            mirror left-right first
     * @param rotationDegrees then rotate about the centre; positive turns counter-clockwise on screen
     * @param zoom            then magnify about the centre (above 1 crops, below 1 leaves a black border)
     * @param contrast        then stretch luminance about the image mean by this factor
     * @param brightness      then multiply luminance by this factor
     */
    public record Draw(boolean flip, double rotationDegrees, double zoom, double contrast, double brightness) {
        /** Checks that the factors are usable. */
        public Draw {
            check(zoom > 0 && Double.isFinite(zoom), "zoom must be positive", zoom);
            check(Double.isFinite(rotationDegrees), "rotation must be finite", rotationDegrees);
            check(contrast >= 0 && Double.isFinite(contrast), "contrast factor must be >= 0", contrast);
            check(brightness >= 0 && Double.isFinite(brightness), "brightness factor must be >= 0", brightness);
        }

        /** The transformed image: geometry in one bilinear pass with black outside, then intensity. */
        public GrayImage applyTo(GrayImage image) {
            GrayImage moved = rotationDegrees == 0 && zoom == 1 ? (flip ? mirror(image) : image) : warp(image);
            return contrast == 1 && brightness == 1 ? moved : intensity(moved);
        }

        private static GrayImage mirror(GrayImage image) {
            int w = image.width();
            float[] in = image.pixels();
            float[] out = new float[in.length];
            for (int y = 0; y < image.height(); y++) {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    out[row + x] = in[row + w - 1 - x];
                }
            }
            return new GrayImage(w, image.height(), out);
        }

        /**
         * Maps each output pixel back into the input (inverse zoom, inverse rotation, then mirror) and samples
         * bilinearly there; neighbours outside the image count as black, the radiograph background.
         */
        private GrayImage warp(GrayImage image) {
            int w = image.width();
            int h = image.height();
            double cx = (w - 1) / 2.0;
            double cy = (h - 1) / 2.0;
            double theta = Math.toRadians(rotationDegrees);
            double cos = Math.cos(theta) / zoom;
            double sin = Math.sin(theta) / zoom;
            double mirror = flip ? -1 : 1;
            float[] out = new float[w * h];
            for (int y = 0; y < h; y++) {
                double dy = y - cy;
                for (int x = 0; x < w; x++) {
                    double dx = x - cx;
                    double sx = cx + mirror * (cos * dx - sin * dy);
                    double sy = cy + sin * dx + cos * dy;
                    out[y * w + x] = sample(image, sx, sy);
                }
            }
            return new GrayImage(w, h, out);
        }

        private static float sample(GrayImage image, double sx, double sy) {
            int w = image.width();
            int h = image.height();
            if (sx <= -1 || sy <= -1 || sx >= w || sy >= h) {
                return 0f;
            }
            int x0 = (int) Math.floor(sx);
            int y0 = (int) Math.floor(sy);
            float fx = (float) (sx - x0);
            float fy = (float) (sy - y0);
            float[] p = image.pixels();
            float top = at(p, w, h, x0, y0) * (1 - fx) + at(p, w, h, x0 + 1, y0) * fx;
            float bottom = at(p, w, h, x0, y0 + 1) * (1 - fx) + at(p, w, h, x0 + 1, y0 + 1) * fx;
            return top * (1 - fy) + bottom * fy;
        }

        private static float at(float[] p, int w, int h, int x, int y) {
            return x < 0 || y < 0 || x >= w || y >= h ? 0f : p[y * w + x];
        }

        /** Contrast about the mean, then brightness as a factor (an offset would grey the black background). */
        private GrayImage intensity(GrayImage image) {
            float mean = (float) image.mean();
            float c = (float) contrast;
            float b = (float) brightness;
            float[] in = image.pixels();
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                float v = ((in[i] - mean) * c + mean) * b;
                out[i] = Math.min(1f, Math.max(0f, v));
            }
            return new GrayImage(image.width(), image.height(), out);
        }
    }
}
