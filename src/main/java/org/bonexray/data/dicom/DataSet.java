package org.bonexray.data.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The elements of one data set (the file's, or one sequence item's) as positions in the file's bytes: nothing is
 * copied until a value is asked for, and only the sequences that are interpreted keep their items.
 */
final class DataSet {
    /** One element's place: its VR as read (or known) and where its value lies in the data set's bytes. */
    record Element(int tag, String vr, int offset, int length) {
    }

    /** One fragment of encapsulated pixel data. */
    record Fragment(int offset, int length) {
    }

    /**
     * Where the pixel data lie: native data as one value ({@code fragments} null), encapsulated data as fragments
     * after a Basic Offset Table of {@code offsetTableEntries} entries.
     */
    record PixelData(String vr, int offset, long length, List<Fragment> fragments, int offsetTableEntries) {
        boolean encapsulated() {
            return fragments != null;
        }
    }

    private final byte[] data;
    private final Path file;
    private final Map<Integer, Element> elements;
    private final Map<Integer, List<DataSet>> sequences;
    private final PixelData pixelData;
    private Charset charset = StandardCharsets.ISO_8859_1;

    DataSet(byte[] data, Path file, Map<Integer, Element> elements, Map<Integer, List<DataSet>> sequences,
            PixelData pixelData) {
        this.data = data;
        this.file = file;
        this.elements = elements;
        this.sequences = sequences;
        this.pixelData = pixelData;
    }

    byte[] data() {
        return data;
    }

    Path file() {
        return file;
    }

    Map<Integer, Element> elements() {
        return elements;
    }

    /** The items of a kept sequence, empty when absent. */
    List<DataSet> items(int tag) {
        return sequences.getOrDefault(tag, List.of());
    }

    /** The pixel data's place, null when the data set has none. */
    PixelData pixelData() {
        return pixelData;
    }

    boolean has(int tag) {
        return elements.containsKey(tag);
    }

    /**
     * Decodes text as the Specific Character Set says: UTF-8 for ISO_IR 192, else ISO 8859-1 (the default
     * repertoire's superset; other character sets only matter for names, which are never interpreted).
     */
    void useCharacterSet(String specificCharacterSet) {
        if (specificCharacterSet != null && specificCharacterSet.contains("ISO_IR 192")) {
            charset = StandardCharsets.UTF_8;
        }
        sequences.values().forEach(items -> items.forEach(i -> i.charset = charset));
    }

    /** A text value without its padding (trailing spaces and NULs, leading spaces), null when absent. */
    String string(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        String s = new String(data, e.offset(), e.length(), charset);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start, end);
    }

    /** The {@code index}-th value of a multi-valued text element, or null. */
    String string(int tag, int index) {
        String s = string(tag);
        if (s == null) {
            return null;
        }
        String[] values = s.split("\\\\", -1);
        return index < values.length ? values[index].trim() : null;
    }

    /** A decimal string (DS) value, null when absent or empty; a value that is no number is refused. */
    Double decimal(int tag, int index) {
        String s = string(tag, index);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw DicomException.corrupt(file, Tags.format(tag) + " should be a number, not '" + s + "'");
        }
    }

    /** An integer string (IS) value, null when absent or empty. */
    Integer integerString(int tag) {
        Double d = decimal(tag, 0);
        if (d != null && (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE)) {
            throw DicomException.corrupt(file, Tags.format(tag) + " should be an integer, not " + d);
        }
        return d == null ? null : d.intValue();
    }

    /** The first 16-bit value of a US element, null when absent; an empty or odd-sized one is refused. */
    Integer uint16(int tag) {
        int[] all = uint16s(tag);
        return all == null ? null : all[0];
    }

    /** Every 16-bit value of a US/SS/OW element, unsigned, null when absent. */
    int[] uint16s(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        if (e.length() < 2 || e.length() % 2 != 0) {
            throw DicomException.corrupt(file, Tags.format(tag) + " has " + e.length()
                    + " bytes, not a whole number of 16-bit values");
        }
        int[] out = new int[e.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = ByteCursor.u16(data, e.offset() + 2 * i);
        }
        return out;
    }
}
