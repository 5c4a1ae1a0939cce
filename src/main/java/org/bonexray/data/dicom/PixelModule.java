package org.bonexray.data.dicom;

import java.nio.file.Path;
import java.util.Set;

/**
 * The Image Pixel module's description of the one frame to decode, checked for consistency and against the
 * decoder's limits before any pixel is touched.
 *
 * @param rows            rows, positive
 * @param columns         columns, positive
 * @param samplesPerPixel 1 (monochrome) or 3 (colour)
 * @param bitsAllocated   8 or 16
 * @param bitsStored      1 to {@code bitsAllocated}
 * @param highBit         from {@code bitsStored - 1} to {@code bitsAllocated - 1}
 * @param signed          Pixel Representation 1 (two's complement)
 * @param planar          Planar Configuration 1 (colour planes one after the other)
 * @param photometric     the Photometric Interpretation
 */
record PixelModule(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, int highBit,
                   boolean signed, boolean planar, String photometric) {
    static final String MONOCHROME1 = "MONOCHROME1";
    static final String MONOCHROME2 = "MONOCHROME2";
    private static final Set<String> COLOUR = Set.of("RGB", "YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_420", "YBR_ICT",
            "YBR_RCT");

    /** Reads and checks the module; {@code encapsulated} allows the colour models only compressed data use. */
    static PixelModule of(DataSet ds, boolean encapsulated) {
        Path file = ds.file();
        int rows = required(ds, Tags.ROWS, "Rows");
        int columns = required(ds, Tags.COLUMNS, "Columns");
        int samples = orDefault(ds.uint16(Tags.SAMPLES_PER_PIXEL), 1);
        int allocated = required(ds, Tags.BITS_ALLOCATED, "Bits Allocated");
        int stored = orDefault(ds.uint16(Tags.BITS_STORED), allocated);
        int highBit = orDefault(ds.uint16(Tags.HIGH_BIT), stored - 1);
        int representation = orDefault(ds.uint16(Tags.PIXEL_REPRESENTATION), 0);
        int planar = orDefault(ds.uint16(Tags.PLANAR_CONFIGURATION), 0);
        String photometric = ds.string(Tags.PHOTOMETRIC_INTERPRETATION);
        checkFrames(ds);
        if (photometric == null || photometric.isEmpty()) {
            throw DicomException.corrupt(file, "Photometric Interpretation (0028,0004) is missing");
        }
        checkPhotometric(file, photometric, samples, encapsulated);
        if (allocated != 8 && allocated != 16) {
            throw DicomException.unsupported(file, "Bits Allocated " + allocated + ": only 8 and 16 are read");
        }
        if (stored < 1 || stored > allocated || highBit < stored - 1 || highBit >= allocated) {
            throw DicomException.corrupt(file, "Bits Stored " + stored + " and High Bit " + highBit
                    + " do not fit Bits Allocated " + allocated);
        }
        if (representation > 1 || planar > 1) {
            throw DicomException.corrupt(file, "Pixel Representation " + representation + " / Planar Configuration "
                    + planar + " (each must be 0 or 1)");
        }
        return new PixelModule(rows, columns, samples, allocated, stored, highBit, representation == 1, planar == 1,
                photometric);
    }

    boolean monochrome() {
        return samplesPerPixel == 1;
    }

    /** MONOCHROME1: the lowest value is white. */
    boolean inverted() {
        return MONOCHROME1.equals(photometric);
    }

    long pixels() {
        return (long) rows * columns;
    }

    /** The bytes of one native frame. */
    long frameBytes() {
        return pixels() * samplesPerPixel * (bitsAllocated / 8);
    }

    /**
     * A native sample's value: the Bits Stored bits ending at High Bit, sign-extended when signed. Bits above them
     * (old overlay planes) are dropped, as PS3.5 8.1.1 says.
     */
    int stored(int raw) {
        int v = (raw >>> (highBit + 1 - bitsStored)) & ((1 << bitsStored) - 1);
        return signed && (v >>> (bitsStored - 1)) != 0 ? v - (1 << bitsStored) : v;
    }

    /**
     * A decompressed sample's value: a codec hands back unsigned bits unless its raster is signed, so signed data
     * are sign-extended from Bits Stored; nothing is masked, since a code stream's precision may exceed Bits Stored.
     */
    int decoded(int raw, boolean rasterSigned) {
        if (!signed || rasterSigned || raw < 0 || raw >= 1 << bitsStored) {
            return raw;
        }
        return (raw >>> (bitsStored - 1)) != 0 ? raw - (1 << bitsStored) : raw;
    }

    /** Refuses an image above the limits, from the header alone. */
    void checkLimits(long maxPixels, int maxSide, Path file) {
        if (rows > maxSide || columns > maxSide || pixels() > maxPixels) {
            throw new DicomException(file, DicomException.Kind.TOO_LARGE, columns + "x" + rows
                    + " pixels, limits are " + maxSide + " per side and " + maxPixels + " in all");
        }
    }

    private static void checkFrames(DataSet ds) {
        Integer frames = ds.integerString(Tags.NUMBER_OF_FRAMES);
        if (frames != null && frames < 1) {
            throw DicomException.corrupt(ds.file(), "Number of Frames is " + frames);
        }
        if (frames != null && frames > 1) {
            throw DicomException.unsupported(ds.file(), "a multi-frame image (" + frames
                    + " frames); only single-frame radiographs are read");
        }
    }

    private static void checkPhotometric(Path file, String photometric, int samples, boolean encapsulated) {
        boolean mono = MONOCHROME1.equals(photometric) || MONOCHROME2.equals(photometric);
        if (!mono && !COLOUR.contains(photometric)) {
            throw DicomException.unsupported(file, "Photometric Interpretation " + photometric
                    + "; MONOCHROME1, MONOCHROME2, RGB and YBR colour are read");
        }
        if (samples != (mono ? 1 : 3)) {
            throw DicomException.corrupt(file, "Photometric Interpretation " + photometric + " with "
                    + samples + " samples per pixel");
        }
        if (!encapsulated && !mono && !"RGB".equals(photometric) && !"YBR_FULL".equals(photometric)) {
            throw DicomException.unsupported(file, "uncompressed " + photometric
                    + " pixel data; uncompressed colour is read as RGB or YBR_FULL");
        }
    }

    private static int required(DataSet ds, int tag, String name) {
        Integer v = ds.uint16(tag);
        if (v == null || v == 0) {
            throw DicomException.corrupt(ds.file(), name + " " + Tags.format(tag) + (v == null ? " is missing" : " is 0"));
        }
        return v;
    }

    private static int orDefault(Integer v, int fallback) {
        return v == null ? fallback : v;
    }
}
