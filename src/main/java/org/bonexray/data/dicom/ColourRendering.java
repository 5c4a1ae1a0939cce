package org.bonexray.data.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Renders colour samples (secondary captures, photographs of films) to an 8-bit RGB image: samples scaled from Bits
 * Stored to 8 bits, uncompressed YBR_FULL converted to RGB (PS3.3 C.7.6.3.1.2). Compressed colour arrives as RGB
 * from its decoder. The luminance is then taken as for any RGB file, so equal channels stay exact.
 */
final class ColourRendering {
    private ColourRendering() {
    }

    static BufferedImage render(int[] samples, PixelModule m, boolean ybrFull) {
        BufferedImage image = new BufferedImage(m.columns(), m.rows(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        double scale = 255.0 / ((1 << m.bitsStored()) - 1);
        int pixels = (int) m.pixels();
        for (int p = 0; p < pixels; p++) {
            double r = eight(samples[3 * p], scale);
            double g = eight(samples[3 * p + 1], scale);
            double b = eight(samples[3 * p + 2], scale);
            if (ybrFull) {
                double y = r;
                double cb = g - 128;
                double cr = b - 128;
                r = y + 1.402 * cr;
                g = y - 0.344136 * cb - 0.714136 * cr;
                b = y + 1.772 * cb;
            }
            bgr[3 * p] = level(b);
            bgr[3 * p + 1] = level(g);
            bgr[3 * p + 2] = level(r);
        }
        return image;
    }

    private static double eight(int sample, double scale) {
        return Math.max(0, sample) * scale;
    }

    private static byte level(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
