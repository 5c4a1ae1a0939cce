package org.bonexray.data.image;

import java.util.Arrays;

/**
 * A single-channel radiograph: row-major luminance values, 0 = black, 1 = white.
 *
 * <p>For speed the record does not copy its array: the {@code pixels} passed in become the image's, and
 * {@link #pixels()} returns that same array. Treat it as read-only; every transform in this package
 * returns a new image and never writes into its input. Equality compares the pixel contents.
 *
 * @param width  columns, positive
 * @param height rows, positive
 * @param pixels {@code width * height} values in [0, 1], pixel (x, y) at {@code y * width + x}
 */
public record GrayImage(int width, int height, float[] pixels) {

    /** Checks the sides and the array length. */
    public GrayImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image sides must be positive, got " + width + "x" + height);
        }
        if (pixels == null) {
            throw new IllegalArgumentException("pixels must not be null");
        }
        if ((long) width * height != pixels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs "
                    + (long) width * height + " pixels, got " + pixels.length);
        }
    }

    /** The luminance at column {@code x}, row {@code y}. */
    public float get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") outside " + width + "x" + height);
        }
        return pixels[y * width + x];
    }

    /** The mean luminance. */
    public double mean() {
        double sum = 0;
        for (float v : pixels) {
            sum += v;
        }
        return sum / pixels.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GrayImage o && o.width == width && o.height == height
                && Arrays.equals(o.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + "]";
    }
}
