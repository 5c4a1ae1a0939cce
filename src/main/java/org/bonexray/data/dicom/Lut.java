package org.bonexray.data.dicom;

import java.nio.file.Path;

/**
 * A modality or VOI lookup table from a sequence item (PS3.3 C.11.1.1 and C.11.2.1.1): LUT Descriptor (entries,
 * first value mapped, bits per entry) and LUT Data. Inputs below the first entry take the first, above the last
 * take the last.
 */
record Lut(int first, int bits, int[] entries) {

    /** Reads the table of an item; {@code signedInput} reads the first mapped value as signed (SS). */
    static Lut of(DataSet item, boolean signedInput) {
        Path file = item.file();
        int[] descriptor = item.uint16s(Tags.LUT_DESCRIPTOR);
        int[] data = item.uint16s(Tags.LUT_DATA);
        if (descriptor == null || descriptor.length != 3 || data == null) {
            throw DicomException.corrupt(file, "a lookup table item without a three-value LUT Descriptor and LUT Data");
        }
        int count = descriptor[0] == 0 ? 65536 : descriptor[0];
        boolean signed = signedInput || "SS".equals(item.elements().get(Tags.LUT_DESCRIPTOR).vr());
        int first = signed ? (short) descriptor[1] : descriptor[1];
        int bits = descriptor[2];
        if (bits < 1 || bits > 16) {
            throw DicomException.corrupt(file, "a lookup table with " + bits + " bits per entry");
        }
        int[] entries;
        if (data.length == count) {
            entries = data;
        } else if (bits <= 8 && data.length == (count + 1) / 2) {
            entries = unpackBytes(data, count); // 8-bit entries packed two to a 16-bit word
        } else {
            throw DicomException.corrupt(file, "LUT Data hold " + data.length + " values, the LUT Descriptor says "
                    + count + " entries");
        }
        int mask = (1 << bits) - 1;
        for (int i = 0; i < entries.length; i++) {
            entries[i] &= mask;
        }
        return new Lut(first, bits, entries);
    }

    /** The largest value an entry can hold. */
    int maxOutput() {
        return (1 << bits) - 1;
    }

    double apply(double x) {
        long index = Math.round(x) - first;
        return entries[(int) Math.max(0, Math.min(entries.length - 1, index))];
    }

    private static int[] unpackBytes(int[] words, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = i % 2 == 0 ? words[i / 2] & 0xFF : words[i / 2] >>> 8;
        }
        return out;
    }
}
