package org.bonexray.data.dicom;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A little-endian read position over a byte range that refuses to read past its end: every length a file
 * claims is checked against the bytes really there before anything is skipped or sliced.
 */
final class ByteCursor {
    private final byte[] data;
    private final int end;
    private final Path file;
    private int pos;

    ByteCursor(byte[] data, int start, int end, Path file) {
        this.data = data;
        this.pos = start;
        this.end = end;
        this.file = file;
    }

    byte[] data() {
        return data;
    }

    Path file() {
        return file;
    }

    int position() {
        return pos;
    }

    int end() {
        return end;
    }

    long remaining() {
        return end - pos;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** Fails unless {@code n} more bytes are there; {@code what} names them in the message. */
    void need(long n, String what) {
        if (n > end - pos) {
            throw DicomException.truncated(file, "the file ends " + (end - pos) + " bytes into " + what
                    + " at offset " + pos + ", which needs " + n);
        }
    }

    int u16() {
        need(2, "an element");
        int v = u16(data, pos);
        pos += 2;
        return v;
    }

    long u32() {
        need(4, "an element");
        long v = u32(data, pos);
        pos += 4;
        return v;
    }

    /** A tag as group << 16 | element. */
    int tag() {
        int group = u16();
        return group << 16 | u16();
    }

    /** The group of the next tag without moving, or -1 when fewer than two bytes remain. */
    int peekGroup() {
        return end - pos < 2 ? -1 : u16(data, pos);
    }

    String ascii(int n) {
        need(n, "an element");
        String s = new String(data, pos, n, StandardCharsets.US_ASCII);
        pos += n;
        return s;
    }

    void skip(long n, String what) {
        need(n, what);
        pos += (int) n;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16) & 0xFFFFFFFFL;
    }
}
