package org.bonexray.data.dicom;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a Deflated Explicit VR Little Endian data set (raw deflate, PS3.5 A.5) without trusting it: the output
 * grows only as far as the data set's own header allows. Until the Pixel Data element's header has been inflated
 * the limit is {@link #MAX_HEADER_BYTES}; from then on it is that element's declared length, checked first against
 * the Image Pixel module and the decoder's size limits, plus {@link #MAX_TRAILING_BYTES} for elements after it. A
 * few hundred bytes that claim to expand to gigabytes are refused after inflating at most that much.
 */
final class Inflation {
    static final int MAX_HEADER_BYTES = 64 << 20;
    static final int MAX_TRAILING_BYTES = 1 << 20;
    private static final int FIRST_LOOK = 64 << 10;

    private Inflation() {
    }

    static byte[] inflate(byte[] bytes, int start, Path file, long maxPixels, int maxSide) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes, start, bytes.length - start);
            byte[] out = new byte[Math.max(FIRST_LOOK, Math.min(bytes.length * 4, 16 << 20))];
            int size = 0;
            long limit = MAX_HEADER_BYTES;
            int nextLook = FIRST_LOOK;
            boolean headerSeen = false;
            while (!inflater.finished()) {
                if (size == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(limit + 1, 2L * out.length));
                }
                int n = inflater.inflate(out, size, out.length - size);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw DicomException.truncated(file, "the deflated data set ends after " + size + " inflated bytes");
                }
                size += n;
                if (size > limit) {
                    throw new DicomException(file, DicomException.Kind.TOO_LARGE, "the deflated data set inflates to more"
                            + " than " + limit + " bytes, more than its header allows");
                }
                if (!headerSeen && (size >= nextLook || inflater.finished())) {
                    long allowed = allowedSize(out, size, file, maxPixels, maxSide);
                    headerSeen = allowed > 0;
                    limit = headerSeen ? allowed : limit;
                    nextLook = (int) Math.min(Integer.MAX_VALUE, 2L * nextLook);
                }
            }
            return Arrays.copyOf(out, size);
        } catch (DataFormatException e) {
            throw new DicomException(file, DicomException.Kind.CORRUPT, "the deflated data set is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** The inflated size the header allows once it reaches the pixel data, or 0 while it does not yet. */
    private static long allowedSize(byte[] out, int size, Path file, long maxPixels, int maxSide) {
        DataSet partial;
        try {
            partial = DataSetParser.parse(out, 0, size, true, file, true);
        } catch (DicomException e) {
            if (e.kind() == DicomException.Kind.TRUNCATED) {
                return 0;
            }
            throw e;
        }
        DataSet.PixelData pd = partial.pixelData();
        if (pd == null) {
            return 0;
        }
        if (pd.encapsulated()) {
            throw DicomException.corrupt(file, "encapsulated pixel data in a deflated data set");
        }
        PixelModule m = PixelModule.of(partial, false);
        m.checkLimits(maxPixels, maxSide, file);
        NativeFrame.checkLength(partial, m, pd.length());
        return pd.offset() + pd.length() + MAX_TRAILING_BYTES;
    }
}
