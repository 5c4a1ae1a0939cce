package org.bonexray.data.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a little-endian data set element by element, keeping the places of top-level elements and of the
 * sequences that are interpreted, skipping everything else (private tags, unknown VRs, UN sequences, group
 * lengths). Defined and undefined lengths, odd lengths and nested sequences are handled; every length is checked
 * against the bytes present before it is skipped, and nesting is bounded, so no file can make it allocate or
 * recurse without limit. Hand-rolled because no maintained Part 10 parser is on Maven Central (dcm4che is not).
 */
final class DataSetParser {
    static final int MAX_DEPTH = 16;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final Set<String> SHORT_LENGTH_VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD",
            "IS", "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US");
    private static final Set<String> LONG_LENGTH_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC",
            "UN", "UR", "UT", "UV");
    private static final Set<Integer> KEPT_SEQUENCES = Set.of(Tags.VOI_LUT_SEQUENCE, Tags.MODALITY_LUT_SEQUENCE);

    private record Header(int tag, String vrInFile, String vr, long length, int valueOffset) {
        boolean undefinedLength() {
            return length == UNDEFINED;
        }
    }

    private final ByteCursor in;
    private final boolean stopAtPixelHeader;

    private DataSetParser(ByteCursor in, boolean stopAtPixelHeader) {
        this.in = in;
        this.stopAtPixelHeader = stopAtPixelHeader;
    }

    /**
     * Parses {@code data[start, end)} as a data set.
     *
     * @param headerOnly stop at the Pixel Data element's header without requiring its value to be present
     */
    static DataSet parse(byte[] data, int start, int end, boolean explicit, Path file, boolean headerOnly) {
        DataSetParser p = new DataSetParser(new ByteCursor(data, start, end, file), headerOnly);
        DataSet ds = p.readElements(-1, explicit, 0, true, true, -1);
        ds.useCharacterSet(ds.string(Tags.SPECIFIC_CHARACTER_SET));
        return ds;
    }

    /**
     * Whether the data set at {@code start} is written with explicit VRs, judged from its first element's bytes 4-5
     * (a known VR, or not): some writers record one transfer syntax and write the other, and readers such as
     * pydicom and dcmtk look rather than trust. {@code declared} decides when nothing can be seen.
     */
    static boolean looksExplicit(byte[] data, int start, boolean declared) {
        if (data.length < start + 6) {
            return declared;
        }
        String vr = new String(data, start + 4, 2, java.nio.charset.StandardCharsets.US_ASCII);
        return SHORT_LENGTH_VRS.contains(vr) || LONG_LENGTH_VRS.contains(vr);
    }

    /** Parses the file meta information (group 0002, always explicit VR little endian) from {@code start}. */
    static DataSet parseMeta(byte[] data, int start, Path file, int[] endOut) {
        DataSetParser p = new DataSetParser(new ByteCursor(data, start, data.length, file), false);
        DataSet meta = p.readElements(-1, true, 0, true, true, 0x0002);
        endOut[0] = p.in.position();
        return meta;
    }

    /** Reads elements up to {@code end} (-1: the cursor's end, or an item delimiter inside an undefined item). */
    private DataSet readElements(long end, boolean explicit, int depth, boolean keep, boolean top, int onlyGroup) {
        Map<Integer, DataSet.Element> elements = new HashMap<>();
        Map<Integer, List<DataSet>> sequences = new HashMap<>();
        DataSet.PixelData pixels = null;
        while (end >= 0 ? in.position() < end : !in.atEnd()) {
            if (onlyGroup >= 0 && in.peekGroup() != onlyGroup) {
                break;
            }
            Header h = header(explicit);
            if (h.tag == Tags.ITEM_DELIMITER && !top) {
                break;
            }
            if ((h.tag >>> 16) == 0xFFFE) {
                throw corrupt(h, "a sequence delimiter or item outside any sequence");
            }
            if (h.tag == Tags.PIXEL_DATA) {
                // a nested one (an icon image's) is walked past; the top-level one ends the data set
                DataSet.PixelData found = pixelData(h, top && stopAtPixelHeader);
                if (top) {
                    pixels = found;
                    break;
                }
                continue;
            }
            if (top && (h.tag == Tags.FLOAT_PIXEL_DATA || h.tag == Tags.DOUBLE_FLOAT_PIXEL_DATA)) {
                throw DicomException.unsupported(in.file(), "floating-point pixel data (parametric maps) are not images");
            }
            if ("SQ".equals(h.vr) || h.undefinedLength()) {
                boolean kept = keep && top && KEPT_SEQUENCES.contains(h.tag);
                // an undefined-length UN element is a sequence encoded in implicit VR (PS3.5 6.2.2)
                List<DataSet> items = readSequence(h, explicit && !"UN".equals(h.vrInFile), depth + 1, kept);
                if (kept) {
                    sequences.putIfAbsent(h.tag, items);
                }
            } else {
                in.need(h.length, "the value of " + Tags.format(h.tag));
                if (keep) {
                    elements.putIfAbsent(h.tag, new DataSet.Element(h.tag, h.vr, h.valueOffset, (int) h.length));
                }
                in.skip(h.length, "the value of " + Tags.format(h.tag));
            }
        }
        if (end >= 0 && in.position() > end) {
            throw DicomException.corrupt(in.file(), "an element runs past the end of its item at offset " + end);
        }
        return new DataSet(in.data(), in.file(), elements, sequences, pixels);
    }

    /** Reads a sequence's items; returns them when {@code keep}, else walks past them. */
    private List<DataSet> readSequence(Header seq, boolean explicit, int depth, boolean keep) {
        if (depth > MAX_DEPTH) {
            throw corrupt(seq, "sequences nested more than " + MAX_DEPTH + " deep");
        }
        long end = -1;
        if (!seq.undefinedLength()) {
            in.need(seq.length, "sequence " + Tags.format(seq.tag));
            end = in.position() + seq.length;
        }
        List<DataSet> items = new ArrayList<>();
        while (end < 0 || in.position() < end) {
            Header item = header(explicit);
            if (item.tag == Tags.SEQUENCE_DELIMITER) {
                break;
            }
            if (item.tag != Tags.ITEM) {
                throw corrupt(item, "expected an item of sequence " + Tags.format(seq.tag) + ", found "
                        + Tags.format(item.tag));
            }
            long itemEnd = -1;
            if (!item.undefinedLength()) {
                in.need(item.length, "an item of sequence " + Tags.format(seq.tag));
                itemEnd = in.position() + item.length;
            }
            DataSet ds = readElements(itemEnd, explicit, depth, keep, false, -1);
            if (keep) {
                items.add(ds);
            }
        }
        if (end >= 0 && in.position() != end) {
            throw corrupt(seq, "its items run past the sequence's own length");
        }
        return items;
    }

    /** The pixel data's place: one native value, or the fragments of an encapsulated one. */
    private DataSet.PixelData pixelData(Header h, boolean headerOnly) {
        if (headerOnly) {
            return new DataSet.PixelData(h.vr, h.valueOffset, h.length, h.undefinedLength() ? List.of() : null, 0);
        }
        if (!h.undefinedLength()) {
            in.skip(h.length, "the Pixel Data");
            return new DataSet.PixelData(h.vr, h.valueOffset, h.length, null, 0);
        }
        Header table = header(false);
        if (table.tag != Tags.ITEM || table.undefinedLength()) {
            throw corrupt(table, "encapsulated pixel data must start with a Basic Offset Table item");
        }
        in.skip(table.length, "the Basic Offset Table");
        List<DataSet.Fragment> fragments = new ArrayList<>();
        while (true) {
            Header f = header(false);
            if (f.tag == Tags.SEQUENCE_DELIMITER) {
                break;
            }
            if (f.tag != Tags.ITEM || f.undefinedLength()) {
                throw corrupt(f, "expected a pixel data fragment, found " + Tags.format(f.tag));
            }
            in.skip(f.length, "a pixel data fragment");
            fragments.add(new DataSet.Fragment(f.valueOffset, (int) f.length));
        }
        return new DataSet.PixelData(h.vr, h.valueOffset, h.length, fragments, (int) (table.length / 4));
    }

    private Header header(boolean explicit) {
        int start = in.position();
        int tag = in.tag();
        if ((tag >>> 16) == 0xFFFE || !explicit) {
            long length = in.u32();
            return new Header(tag, null, Tags.effectiveVr(tag, null), length, in.position());
        }
        in.need(2, "the VR of " + Tags.format(tag));
        String vr = in.ascii(2);
        if (!Character.isUpperCase(vr.charAt(0)) || !Character.isUpperCase(vr.charAt(1))) {
            throw DicomException.corrupt(in.file(), "element " + Tags.format(tag) + " at offset " + start
                    + " has no valid value representation (is the file implicit VR while its header says explicit?)");
        }
        long length;
        if (SHORT_LENGTH_VRS.contains(vr)) {
            length = in.u16();
        } else {
            in.skip(2, "the reserved bytes of " + Tags.format(tag)); // unknown VRs take the long form (PS3.5 7.1.2)
            length = in.u32();
        }
        return new Header(tag, vr, Tags.effectiveVr(tag, vr), length, in.position());
    }

    private DicomException corrupt(Header h, String what) {
        return DicomException.corrupt(in.file(), what + " (element " + Tags.format(h.tag) + " at offset "
                + (h.valueOffset - 8) + ")");
    }
}
