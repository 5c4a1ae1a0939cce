package org.bonexray.pacs.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DICOM data set being written: elements kept in tag order and encoded as explicit VR little endian
 * (PS3.5 7.1.2), sequences and their items with defined lengths.
 *
 * <p>Hand-rolled: the maintained Java DICOM toolkit (dcm4che) is not on Maven Central, and writing is the
 * small, fully specified half of the format. Values are checked when put (UIDs, lengths per value
 * representation), so a data set that encodes is well formed; text is UTF-8, which the data set must
 * declare (Specific Character Set {@code ISO_IR 192}) whenever it holds anything beyond ASCII.
 */
public final class DicomDataset {
    private final Map<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);

    private record Element(Vr vr, byte[] value, List<DicomDataset> items) {
    }

    /** Puts a text element; no values (or a single null) gives an empty element, as type 2 attributes need. */
    public DicomDataset put(int tag, Vr vr, String... values) {
        if (!vr.isText()) {
            throw new IllegalArgumentException(Tags.hex(tag) + ": " + vr + " is not a text value representation");
        }
        List<String> present = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                check(tag, vr, v);
                present.add(v);
            }
        }
        return putRaw(tag, vr, String.join("\\", present).getBytes(StandardCharsets.UTF_8));
    }

    /** Puts an unsigned 16-bit element (US). */
    public DicomDataset putUs(int tag, int... values) {
        byte[] out = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 0xFFFF) {
                throw new IllegalArgumentException(Tags.hex(tag) + ": " + values[i] + " does not fit US");
            }
            out[2 * i] = (byte) values[i];
            out[2 * i + 1] = (byte) (values[i] >>> 8);
        }
        return putRaw(tag, Vr.US, out);
    }

    /** Puts binary data (OB or OW); the caller's array is kept, not copied. */
    public DicomDataset putBytes(int tag, Vr vr, byte[] value) {
        if (vr != Vr.OB && vr != Vr.OW) {
            throw new IllegalArgumentException(Tags.hex(tag) + ": " + vr + " is not binary");
        }
        if (vr == Vr.OW && value.length % 2 != 0) {
            throw new IllegalArgumentException(Tags.hex(tag) + ": OW needs an even number of bytes");
        }
        return putRaw(tag, vr, value);
    }

    /** Puts a sequence of items (possibly none, as type 2 sequences need). */
    public DicomDataset putSequence(int tag, List<DicomDataset> items) {
        elements.put(tag, new Element(Vr.SQ, null, List.copyOf(items)));
        return this;
    }

    /** Whether the element is present. */
    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** A text element's value as written (empty when absent or empty). */
    public String string(int tag) {
        Element e = elements.get(tag);
        return e == null || e.value() == null ? "" : new String(e.value(), StandardCharsets.UTF_8);
    }

    /** The items of a sequence element (empty when absent). */
    public List<DicomDataset> items(int tag) {
        Element e = elements.get(tag);
        return e == null || e.items() == null ? List.of() : e.items();
    }

    /** Encodes every element in tag order. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<Integer, Element> entry : elements.entrySet()) {
            Element e = entry.getValue();
            byte[] value = e.vr() == Vr.SQ ? encodeItems(e.items()) : padded(e.vr(), e.value());
            writeHeader(out, entry.getKey(), e.vr(), value.length);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    private static byte[] encodeItems(List<DicomDataset> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (DicomDataset item : items) {
            byte[] body = item.encode();
            writeTag(out, Tags.ITEM);
            writeInt(out, body.length);
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private DicomDataset putRaw(int tag, Vr vr, byte[] value) {
        long padded = value.length + (value.length & 1);
        if (!vr.longLength() && padded > 0xFFFF) {
            throw new IllegalArgumentException(Tags.hex(tag) + ": " + padded + " bytes do not fit " + vr);
        }
        elements.put(tag, new Element(vr, value, null));
        return this;
    }

    private static void check(int tag, Vr vr, String value) {
        if (vr.maxCharsPerValue() > 0 && value.length() > vr.maxCharsPerValue()) {
            throw new IllegalArgumentException(Tags.hex(tag) + ": a " + vr + " value holds at most "
                    + vr.maxCharsPerValue() + " characters, got " + value.length());
        }
        if (vr == Vr.UI && !DicomUids.isValid(value)) {
            throw new IllegalArgumentException(Tags.hex(tag) + ": not a valid UID: " + value);
        }
        if (vr != Vr.LT && vr != Vr.ST && vr != Vr.UT && value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(Tags.hex(tag) + ": a backslash separates values; pass them apart");
        }
    }

    private static byte[] padded(Vr vr, byte[] value) {
        if (value.length % 2 == 0) {
            return value;
        }
        byte[] out = new byte[value.length + 1];
        System.arraycopy(value, 0, out, 0, value.length);
        out[value.length] = vr.padding();
        return out;
    }

    static void writeHeader(ByteArrayOutputStream out, int tag, Vr vr, int length) {
        writeTag(out, tag);
        out.write(vr.name().charAt(0));
        out.write(vr.name().charAt(1));
        if (vr.longLength()) {
            out.write(0);
            out.write(0);
            writeInt(out, length);
        } else {
            out.write(length);
            out.write(length >>> 8);
        }
    }

    private static void writeTag(ByteArrayOutputStream out, int tag) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        out.write(group);
        out.write(group >>> 8);
        out.write(element);
        out.write(element >>> 8);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
