package org.bonexray.data.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes PNG files byte by byte, so that tests control colour type, bit depth, palette and every chunk. */
final class TestPngs {
    static final int GRAY = 0;
    static final int RGB = 2;
    static final int PALETTE = 3;
    static final int GRAY_ALPHA = 4;
    static final int RGBA = 6;

    private TestPngs() {
    }

    /**
     * A complete PNG: {@code samples} holds every sample of every pixel, row by row (1 per palette index).
     * {@code plte} and {@code trns} are written when not null.
     */
    static byte[] png(int width, int height, int bitDepth, int colourType, int[] samples, byte[] plte, byte[] trns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PngChunks.SIGNATURE);
        out.writeBytes(chunk("IHDR", ihdr(width, height, bitDepth, colourType)));
        if (plte != null) {
            out.writeBytes(chunk("PLTE", plte));
        }
        if (trns != null) {
            out.writeBytes(chunk("tRNS", trns));
        }
        out.writeBytes(chunk("IDAT", deflate(rows(width, height, bitDepth, samples))));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] ihdr(int width, int height, int bitDepth, int colourType) {
        return ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array();
    }

    /** One chunk with its length and a valid CRC. */
    static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** Filter byte 0 then the samples of each row, 8 or 16 bits each, big-endian. */
    private static byte[] rows(int width, int height, int bitDepth, int[] samples) {
        int perRow = samples.length / height;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            out.write(0);
            for (int i = 0; i < perRow; i++) {
                int s = samples[y * perRow + i];
                if (bitDepth == 16) {
                    out.write(s >>> 8);
                }
                out.write(s & 0xFF);
            }
        }
        return out.toByteArray();
    }
}
