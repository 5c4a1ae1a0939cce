package org.bonexray.model.weights.torch;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that knows how many bytes are left, so that a length a pickle or a storage header claims is
 * checked against the bytes really present before anything of that length is allocated.
 */
final class PickleInput extends FilterInputStream {
    private long remaining;

    /**
     * @param in the stream
     * @param length the bytes {@code in} holds from here on (the file's or the entry's length)
     */
    PickleInput(InputStream in, long length) {
        super(in);
        this.remaining = length;
    }

    /** Bytes left to read. */
    long remaining() {
        return remaining;
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @throws BadCheckpointException when {@code n} is negative or more than what is left, before allocating
     * @throws EOFException when the stream ends early after all
     */
    byte[] readExactly(long n, String what) throws IOException {
        if (n < 0 || n > remaining || n > Integer.MAX_VALUE - 8) {
            throw new BadCheckpointException(what + " claims " + n + " bytes but only " + remaining + " remain");
        }
        byte[] bytes = readNBytes((int) n);
        if (bytes.length != n) {
            throw new EOFException(what + ": the file ends after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** Skips exactly {@code n} bytes (checked like {@link #readExactly}). */
    void skipExactly(long n, String what) throws IOException {
        if (n < 0 || n > remaining) {
            throw new BadCheckpointException(what + " claims " + n + " bytes but only " + remaining + " remain");
        }
        skipNBytes(n);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        remaining -= Math.max(0, skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
