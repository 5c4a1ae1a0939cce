package org.bonexray.data.dicom;

import java.nio.file.Path;

/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits segment
 * per byte of each sample, most significant byte first. Hand-rolled: the format is a page of the standard and no
 * maintained ImageIO plugin reads it.
 */
final class RleFrame {
    private static final int HEADER = 64;

    private RleFrame() {
    }

    static int[] decode(byte[] rle, PixelModule m, Path file) {
        if (rle.length < HEADER) {
            throw DicomException.truncated(file, "the RLE frame has " + rle.length + " bytes, less than its 64-byte header");
        }
        int bytesPerSample = m.bitsAllocated() / 8;
        int segments = (int) ByteCursor.u32(rle, 0);
        int expected = m.samplesPerPixel() * bytesPerSample;
        if (segments != expected) {
            throw DicomException.corrupt(file, "the RLE header lists " + segments + " segments; "
                    + m.samplesPerPixel() + " sample(s) of " + m.bitsAllocated() + " bits need " + expected);
        }
        int pixels = (int) m.pixels();
        int[] raw = new int[pixels * m.samplesPerPixel()];
        for (int s = 0; s < segments; s++) {
            long start = ByteCursor.u32(rle, 4 + 4 * s);
            long end = s + 1 < segments ? ByteCursor.u32(rle, 8 + 4 * s) : rle.length;
            if (start < HEADER || end < start || end > rle.length) {
                throw DicomException.corrupt(file, "RLE segment " + (s + 1) + " lies at bytes " + start + "-" + end
                        + " of a " + rle.length + "-byte frame");
            }
            byte[] plane = unpack(rle, (int) start, (int) end, pixels, s + 1, file);
            int sample = s / bytesPerSample;
            int shift = 8 * (bytesPerSample - 1 - s % bytesPerSample);
            for (int p = 0; p < pixels; p++) {
                raw[p * m.samplesPerPixel() + sample] |= (plane[p] & 0xFF) << shift;
            }
        }
        for (int i = 0; i < raw.length; i++) {
            raw[i] = m.stored(raw[i]);
        }
        return raw;
    }

    /** PackBits: n >= 0 copies n + 1 bytes, -127..-1 repeats the next byte 1 - n times, -128 does nothing. */
    private static byte[] unpack(byte[] in, int start, int end, int size, int segment, Path file) {
        byte[] out = new byte[size];
        int o = 0;
        int i = start;
        while (o < size && i < end) {
            int n = in[i++];
            if (n >= 0) {
                int count = Math.min(n + 1, Math.min(size - o, end - i));
                System.arraycopy(in, i, out, o, count);
                i += n + 1;
                o += count;
            } else if (n != -128 && i < end) {
                int count = Math.min(1 - n, size - o);
                java.util.Arrays.fill(out, o, o + count, in[i++]);
                o += count;
            }
        }
        if (o < size) {
            throw DicomException.corrupt(file, "RLE segment " + segment + " decodes to " + o + " bytes; the image needs "
                    + size);
        }
        return out;
    }
}
