package org.bonexray.explain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bonexray.data.image.GrayImage;
import org.bonexray.io.AtomicFiles;

/**
 * Heatmaps drawn over the radiograph at its original resolution.
 *
 * <p>The map is taken back to the original pixels ({@link Heatmap#toOriginal}), scaled to [0, 1] between its
 * minimum and maximum (a flat map becomes all 0), coloured with {@link Colormap#INFERNO} (perceptually
 * uniform, dark purple = low, pale yellow = high) and blended over the grey radiograph with an opacity
 * proportional to the scaled value: {@code out = (1 - a) * grey + a * colour}, {@code a = opacity * v}.
 * So cold regions show the radiograph untouched and the hottest region is tinted most.
 */
public final class Overlays {
    /** Opacity of the hottest pixel. */
    public static final double DEFAULT_OPACITY = 0.6;

    private Overlays() {
    }

    /**
     * The overlay at the original image's size.
     *
     * @param image the radiograph the heatmap was computed from
     * @param heatmap its heatmap
     * @param opacity opacity of the hottest pixel, in [0, 1]
     * @return an RGB image of the radiograph's size
     */
    public static BufferedImage overlay(GrayImage image, Heatmap heatmap, double opacity) {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1]: " + opacity);
        }
        if (image.width() != heatmap.originalWidth() || image.height() != heatmap.originalHeight()) {
            throw new IllegalArgumentException("heatmap of a " + heatmap.originalWidth() + "x" + heatmap.originalHeight()
                    + " image cannot go over a " + image.width() + "x" + image.height() + " one");
        }
        float[] v = normalize(heatmap.toOriginal());
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        float[] px = image.pixels();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int i = y * image.width() + x;
                double grey = Math.max(0, Math.min(1, px[i])) * 255;
                double a = opacity * v[i];
                int rgb = Colormap.INFERNO.rgb(v[i]);
                int r = blend(grey, (rgb >> 16) & 0xff, a);
                int g = blend(grey, (rgb >> 8) & 0xff, a);
                int b = blend(grey, rgb & 0xff, a);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** The overlay with {@link #DEFAULT_OPACITY} as PNG bytes (for the web service). */
    public static byte[] overlayPng(GrayImage image, Heatmap heatmap) {
        return png(overlay(image, heatmap, DEFAULT_OPACITY));
    }

    /** Writes the default overlay as a PNG file, atomically. */
    public static void writeOverlay(Path file, GrayImage image, Heatmap heatmap) {
        AtomicFiles.writeBytes(file, overlayPng(image, heatmap));
    }

    /**
     * Writes the raw (unnormalised) map at the original resolution as a NumPy {@code .npy} file:
     * float32, shape (height, width). {@code numpy.load} reads it.
     */
    public static void writeMap(Path file, Heatmap heatmap) {
        AtomicFiles.writeBytes(file, Npy.float32(heatmap.toOriginal(), heatmap.originalHeight(), heatmap.originalWidth()));
    }

    /** Encodes an image as PNG. */
    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG: " + e.getMessage(), e);
        }
    }

    /** Scales to [0, 1] between minimum and maximum; a flat map becomes 0 everywhere. */
    public static float[] normalize(float[] map) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : map) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        float[] out = new float[map.length];
        float range = max - min;
        if (range > 0 && Float.isFinite(range)) {
            for (int i = 0; i < map.length; i++) {
                out[i] = (map[i] - min) / range;
            }
        }
        return out;
    }

    private static int blend(double grey, int colour, double a) {
        return (int) Math.round(Math.max(0, Math.min(255, (1 - a) * grey + a * colour)));
    }
}
