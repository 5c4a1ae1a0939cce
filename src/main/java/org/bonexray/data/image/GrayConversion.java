package org.bonexray.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;
import org.bonexray.data.image.BadImageException.Reason;

/**
 * Turns any decoded {@link BufferedImage} into luminance in [0, 1], reading raw raster samples.
 *
 * <p>Raw samples, not {@code getRGB}: {@code getRGB} converts through sRGB, which bends linear grey PNGs by
 * a gamma curve and drops 16-bit precision. Rules: grey is the sample over its maximum (65535 for 16 bits,
 * so 16-bit images keep full precision); a colour pixel whose three channels are equal is that channel
 * (MURA stores many radiographs as RGB with identical channels, and this keeps them bit-identical to grey);
 * other colour pixels take ITU-R BT.601 luma 0.299 R + 0.587 G + 0.114 B. Alpha is composited over
 * black, i.e. luminance times alpha: the background of a radiograph is black (no X-rays absorbed there),
 * so a transparent region means "nothing imaged" and must not turn into bright white bone-like pixels.
 */
final class GrayConversion {
    private static final float R = 0.299f;
    private static final float G = 0.587f;
    private static final float B = 0.114f;

    private GrayConversion() {
    }

    static GrayImage toGray(BufferedImage image, Path file) {
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            return fromPalette(image.getRaster(), icm);
        }
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        if (!(colours == 1 && type == ColorSpace.TYPE_GRAY || colours == 3 && type == ColorSpace.TYPE_RGB)) {
            throw new BadImageException(file, Reason.UNSUPPORTED_FORMAT,
                    colours + "-component colour space of type " + type + " (only grey and RGB are)");
        }
        return fromComponents(image.getRaster(), colours, cm.hasAlpha(), cm.isAlphaPremultiplied());
    }

    private static GrayImage fromPalette(Raster raster, IndexColorModel icm) {
        int size = icm.getMapSize();
        float[] lut = new float[size];
        for (int i = 0; i < size; i++) {
            float luma = luma(icm.getRed(i), icm.getGreen(i), icm.getBlue(i)) / 255f;
            lut[i] = luma * icm.getAlpha(i) / 255f;
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        float[] out = new float[w * h];
        int[] row = new int[w];
        RowReader reader = RowReader.of(raster);
        for (int y = 0; y < h; y++) {
            reader.read(y, 0, row);
            int base = y * w;
            for (int x = 0; x < w; x++) {
                int index = row[x];
                out[base + x] = index < size ? lut[index] : 0f;
            }
        }
        return new GrayImage(w, h, out);
    }

    private static GrayImage fromComponents(Raster raster, int colours, boolean alpha, boolean premultiplied) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = colours + (alpha ? 1 : 0);
        float[] scale = new float[bands];
        for (int b = 0; b < bands; b++) {
            scale[b] = (float) (1.0 / ((1L << raster.getSampleModel().getSampleSize(b)) - 1));
        }
        int[][] rows = new int[bands][w];
        float[] out = new float[w * h];
        RowReader reader = RowReader.of(raster);
        for (int y = 0; y < h; y++) {
            for (int b = 0; b < bands; b++) {
                reader.read(y, b, rows[b]);
            }
            int base = y * w;
            for (int x = 0; x < w; x++) {
                float v = colours == 1 ? rows[0][x] * scale[0] : colour(rows, x, scale);
                if (alpha && !premultiplied) {
                    v *= rows[colours][x] * scale[colours];
                }
                out[base + x] = Math.min(1f, Math.max(0f, v));
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Per-band scales because packed formats (BMP 5-6-5) give the channels different bit depths. */
    private static float colour(int[][] rows, int x, float[] scale) {
        float r = rows[0][x] * scale[0];
        float g = rows[1][x] * scale[1];
        float b = rows[2][x] * scale[2];
        return r == g && g == b ? r : R * r + G * g + B * b;
    }

    private static float luma(int r, int g, int b) {
        // Equal channels return the channel itself so that grey palettes map exactly.
        return r == g && g == b ? r : R * r + G * g + B * b;
    }

    /**
     * Reads one band of one row as ints. Reading the byte or short array of an interleaved raster directly is
     * several times faster than {@link Raster#getSamples}, which goes through the sample model per pixel;
     * other layouts (packed BMP pixels, 1-bit rows) take the general path.
     */
    @FunctionalInterface
    private interface RowReader {
        void read(int y, int band, int[] dest);

        static RowReader of(Raster raster) {
            DataBuffer buffer = raster.getDataBuffer();
            if (raster.getParent() == null && raster.getSampleModelTranslateX() == 0
                    && raster.getSampleModelTranslateY() == 0 && buffer.getNumBanks() == 1
                    && raster.getSampleModel() instanceof ComponentSampleModel model) {
                int stride = model.getScanlineStride();
                int step = model.getPixelStride();
                int[] bandOffsets = model.getBandOffsets();
                int base = buffer.getOffset();
                if (buffer instanceof DataBufferByte bytes) {
                    byte[] data = bytes.getData();
                    return (y, band, dest) -> {
                        for (int x = 0, i = base + y * stride + bandOffsets[band]; x < dest.length; x++, i += step) {
                            dest[x] = data[i] & 0xFF;
                        }
                    };
                }
                if (buffer instanceof DataBufferUShort shorts) {
                    short[] data = shorts.getData();
                    return (y, band, dest) -> {
                        for (int x = 0, i = base + y * stride + bandOffsets[band]; x < dest.length; x++, i += step) {
                            dest[x] = data[i] & 0xFFFF;
                        }
                    };
                }
            }
            return (y, band, dest) -> raster.getSamples(raster.getMinX(), raster.getMinY() + y, dest.length, 1,
                    band, dest);
        }
    }
}
