package org.bonexray.data.dicom;

/** Reads native (uncompressed) pixel data: little-endian samples, interleaved or planar. */
final class NativeFrame {
    private NativeFrame() {
    }

    /** The frame's samples, pixel by pixel ({@code samplesPerPixel} each), as stored values. */
    static int[] decode(DataSet ds, PixelModule m) {
        DataSet.PixelData pd = ds.pixelData();
        checkLength(ds, m, pd.length());
        byte[] data = ds.data();
        int pixels = (int) m.pixels();
        int spp = m.samplesPerPixel();
        int[] out = new int[pixels * spp];
        boolean wide = m.bitsAllocated() == 16;
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < spp; c++) {
                // planar data hold all of one colour, then the next; interleaved data hold each pixel's colours together
                int index = m.planar() ? c * pixels + p : p * spp + c;
                int raw = wide ? ByteCursor.u16(data, pd.offset() + 2 * index) : data[pd.offset() + index] & 0xFF;
                out[p * spp + c] = m.stored(raw);
            }
        }
        return out;
    }

    /**
     * The value must hold one frame. Padding after it (an odd frame's byte, or a writer's trailing bytes) is
     * allowed while it is shorter than a frame: a second frame's worth means a multi-frame image in disguise.
     */
    static void checkLength(DataSet ds, PixelModule m, long length) {
        long expected = m.frameBytes();
        if (length >= expected && length - expected < expected) {
            return;
        }
        String need = "Rows " + m.rows() + " x Columns " + m.columns() + " x " + m.samplesPerPixel()
                + " sample(s) x " + m.bitsAllocated() + " bits need " + expected;
        throw DicomException.corrupt(ds.file(), "the Pixel Data hold " + length + " bytes but " + need
                + (length > expected ? " (two frames or more: a multi-frame image without Number of Frames?)" : ""));
    }
}
