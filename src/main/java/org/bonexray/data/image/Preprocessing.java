package org.bonexray.data.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic preprocessing of every radiograph: resize to a square, replicate grey to three channels,
 * normalise. One value of this record serves training, evaluation, prediction and the web service; it is
 * saved (as JSON) inside the model artifact so that a model sees at inference what it saw in training.
 *
 * <p>Random augmentation is separate ({@link RandomAugmentation}) and, when used, goes between
 * {@link #resize} and {@link #toChw}: decode, resize, augment, toChw.
 *
 * @param size          side of the square network input, in pixels
 * @param resize        how the image's aspect ratio is handled
 * @param normalization how luminance becomes network input
 */
public record Preprocessing(int size, ResizeMode resize, Normalization normalization) {
    /** The reproduced paper's preprocessing: 224 x 224, plain resize, [-1, 1]. */
    public static final Preprocessing DEFAULT =
            new Preprocessing(224, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE);
    /** Largest accepted input side; DenseNets on radiographs use 224 to 512. */
    public static final int MAX_SIZE = 4096;
    /** Channels of the network input. */
    public static final int CHANNELS = 3;

    /** Checks the size and that both modes are given. */
    public Preprocessing {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("preprocessing size must be in 1.." + MAX_SIZE + ", got " + size);
        }
        if (resize == null || normalization == null) {
            throw new IllegalArgumentException("preprocessing needs a resize mode and a normalization");
        }
    }

    /**
     * What differs between two preprocessings, for an error message.
     *
     * @param other the preprocessing expected
     * @return e.g. {@code "size 320 (expected 224)"}, the differing fields joined by commas; empty when equal
     */
    public String difference(Preprocessing other) {
        List<String> fields = new ArrayList<>();
        if (size != other.size) {
            fields.add("size " + size + " (expected " + other.size + ")");
        }
        if (resize != other.resize) {
            fields.add("resize " + resize + " (expected " + other.resize + ")");
        }
        if (normalization != other.normalization) {
            fields.add("normalization " + normalization + " (expected " + other.normalization + ")");
        }
        return String.join(", ", fields);
    }

    /** Floats of one image in CHW layout: {@code 3 * size * size}. */
    public int floatsPerImage() {
        return CHANNELS * size * size;
    }

    /**
     * The image as a {@code size} x {@code size} square: squashed, or letterboxed (aspect kept, centred, black
     * padding). Antialiased bilinear resampling, see {@link Resampler}, rounded to 8 bits ({@link Gray8}): the
     * training pipeline stores its resized images that way, so prediction and the service must see the same
     * levels. An image already of that size is returned as it is.
     */
    public GrayImage resize(GrayImage image) {
        if (image.width() == size && image.height() == size) {
            return image;
        }
        GrayImage resized = resize == ResizeMode.SQUASH ? Resampler.resize(image, size, size) : letterbox(image);
        return Gray8.image(size, Gray8.quantize(resized));
    }

    private GrayImage letterbox(GrayImage image) {
        double scale = (double) size / Math.max(image.width(), image.height());
        int width = Math.max(1, Math.min(size, (int) Math.round(image.width() * scale)));
        int height = Math.max(1, Math.min(size, (int) Math.round(image.height() * scale)));
        GrayImage inner = Resampler.resize(image, width, height);
        float[] out = new float[size * size];
        int left = (size - width) / 2;
        int top = (size - height) / 2;
        for (int y = 0; y < height; y++) {
            System.arraycopy(inner.pixels(), y * width, out, (top + y) * size + left, width);
        }
        return new GrayImage(size, size, out);
    }

    /** The network input of one image: {@code 3 * size * size} floats, channel by channel, rows inside. */
    public float[] toChw(GrayImage image) {
        float[] out = new float[floatsPerImage()];
        toChw(image, out, 0);
        return out;
    }

    /**
     * Writes the network input of one image into {@code dest} from {@code offset} on, as {@link #toChw(GrayImage)}
     * returns it: for batch buffers. Allocates nothing when the image is already {@code size} x {@code size}.
     */
    public void toChw(GrayImage image, float[] dest, int offset) {
        int plane = size * size;
        if (offset < 0 || offset > dest.length - CHANNELS * plane) {
            throw new IndexOutOfBoundsException("no room for " + CHANNELS * plane + " floats at " + offset
                    + " in a buffer of " + dest.length);
        }
        float[] pixels = resize(image).pixels();
        for (int c = 0; c < CHANNELS; c++) {
            float scale = normalization.scale(c);
            float shift = normalization.shift(c);
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dest[base + i] = pixels[i] * scale + shift;
            }
        }
    }
}
