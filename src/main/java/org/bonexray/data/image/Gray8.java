package org.bonexray.data.image;

/**
 * 8-bit storage of a {@link GrayImage}: luminance in [0, 1] rounded to 0..255, one byte a pixel. The training
 * pipeline keeps its resized images in this form (see {@link ResizedImageCache}); radiographs arrive as 8-bit
 * files, so the rounding (at most half a grey level) is below what the resampling itself changes.
 */
public final class Gray8 {
    private Gray8() {
    }

    /** The image's pixels rounded to the nearest of 256 levels, clamped to [0, 1] first. */
    public static byte[] quantize(GrayImage image) {
        float[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            float v = Math.min(1f, Math.max(0f, in[i]));
            out[i] = (byte) Math.round(v * 255f);
        }
        return out;
    }

    /** A square {@code side} x {@code side} image from its 8-bit pixels (level / 255, as the decoder scales). */
    public static GrayImage image(int side, byte[] levels) {
        float[] out = new float[levels.length];
        for (int i = 0; i < levels.length; i++) {
            out[i] = (levels[i] & 0xFF) / 255f;
        }
        return new GrayImage(side, side, out);
    }

    /** Decodes {@code file}, resizes it as {@code preprocessing} says and rounds it to 8 bits. */
    public static byte[] resized(java.nio.file.Path file, Preprocessing preprocessing) {
        return quantize(preprocessing.resize(ImageDecoder.decode(file)));
    }
}
