package org.bonexray.data.image;

import java.util.random.RandomGenerator;

/**
 * Seeded random resized crop (torchvision's {@code RandomResizedCrop}, applied to the resized square): with a
 * probability, a box covering a drawn share of the image's area at a drawn aspect ratio is cut out at a drawn
 * position and stretched back to the full size. On radiographs the share stays large (0.6-1 rather than
 * ImageNet's 0.08-1): a crop that cuts a small fracture out would still carry the study's abnormal label.
 *
 * @param probability chance that an image is cropped at all, in [0, 1]
 * @param minScale    smallest share of the area kept, in (0, 1]; the share is drawn uniformly in [minScale, 1]
 * @param maxAspect   widest aspect ratio, at least 1; the ratio is drawn log-uniformly in [1/maxAspect, maxAspect]
 */
public record RandResizedCrop(double probability, double minScale, double maxAspect) {
    /** Checks the ranges. */
    public RandResizedCrop {
        require(probability >= 0 && probability <= 1, "crop probability must be in [0, 1]", probability);
        require(minScale > 0 && minScale <= 1, "crop minScale must be in (0, 1]", minScale);
        require(maxAspect >= 1 && Double.isFinite(maxAspect), "crop maxAspect must be >= 1", maxAspect);
    }

    static void require(boolean ok, String rule, double value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ", got " + value);
        }
    }

    /** Whether no image is ever cropped. */
    @com.fasterxml.jackson.annotation.JsonIgnore // derived, not a setting
    public boolean isIdentity() {
        return probability == 0 || minScale == 1 && maxAspect == 1;
    }

    /**
     * Draws one image's crop: the decision, then the share, the ratio and the position, always in that order.
     *
     * @param rng the image's generator
     * @param width the image's width
     * @param height the image's height
     * @return the crop box, or null when this image is not cropped
     */
    public Box draw(RandomGenerator rng, int width, int height) {
        if (isIdentity() || rng.nextDouble() >= probability) {
            return null;
        }
        double share = minScale < 1 ? rng.nextDouble(minScale, 1) : 1;
        double logAspect = maxAspect > 1 ? rng.nextDouble(-Math.log(maxAspect), Math.log(maxAspect)) : 0;
        double ratio = Math.exp(logAspect);
        int w = (int) Math.max(1, Math.min(width, Math.round(width * Math.sqrt(share * ratio))));
        int h = (int) Math.max(1, Math.min(height, Math.round(height * Math.sqrt(share / ratio))));
        int x = width > w ? rng.nextInt(width - w + 1) : 0;
        int y = height > h ? rng.nextInt(height - h + 1) : 0;
        return new Box(x, y, w, h);
    }

    /**
     * A drawn crop, in the pixels of the image it was drawn for.
     *
     * @param x first column
     * @param y first row
     * @param width columns kept
     * @param height rows kept
     */
    public record Box(int x, int y, int width, int height) {
        /** Checks the box is not empty. */
        public Box {
            if (x < 0 || y < 0 || width < 1 || height < 1) {
                throw new IllegalArgumentException("bad crop " + x + "," + y + " " + width + "x" + height);
            }
        }

        /** The box cut out of {@code image} and resampled (bilinear) back to the image's size. */
        public GrayImage applyTo(GrayImage image) {
            if (x + width > image.width() || y + height > image.height()) {
                throw new IllegalArgumentException("crop " + this + " outside a " + image.width() + "x" + image.height() + " image");
            }
            float[] cut = new float[width * height];
            for (int row = 0; row < height; row++) {
                System.arraycopy(image.pixels(), (y + row) * image.width() + x, cut, row * width, width);
            }
            return Resampler.resize(new GrayImage(width, height, cut), image.width(), image.height());
        }
    }
}
