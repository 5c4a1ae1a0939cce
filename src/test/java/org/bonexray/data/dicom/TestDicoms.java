package org.bonexray.data.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes DICOM Part 10 files element by element, so tests can build any structure, valid or broken. */
final class TestDicoms {
    static final String EXPLICIT = "1.2.840.10008.1.2.1";
    static final String IMPLICIT = "1.2.840.10008.1.2";
    static final String RLE = "1.2.840.10008.1.2.5";

    private final String syntax;
    private final boolean explicit;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    TestDicoms(String syntax) {
        this.syntax = syntax;
        this.explicit = !IMPLICIT.equals(syntax);
    }

    /** A valid 8x8 8-bit MONOCHROME2 image's module, pixel data not yet written. */
    static TestDicoms monochrome(String syntax, int rows, int columns, int bits) {
        return new TestDicoms(syntax).text(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7")
                .text(0x00080018, "UI", "1.2.3.4").us(Tags.SAMPLES_PER_PIXEL, 1)
                .text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2").us(Tags.ROWS, rows)
                .us(Tags.COLUMNS, columns).us(Tags.BITS_ALLOCATED, bits).us(Tags.BITS_STORED, bits)
                .us(Tags.HIGH_BIT, bits - 1).us(Tags.PIXEL_REPRESENTATION, 0);
    }

    /** {@code monochrome} with a gradient as native pixel data. */
    static byte[] gradient(int rows, int columns) {
        byte[] px = new byte[rows * columns];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 255 / px.length);
        }
        return monochrome(EXPLICIT, rows, columns, 8).element(Tags.PIXEL_DATA, "OB", px).build();
    }

    TestDicoms text(int tag, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        if (v.length % 2 == 1) {
            v = (value + ("UI".equals(vr) ? "\0" : " ")).getBytes(StandardCharsets.ISO_8859_1);
        }
        return element(tag, vr, v);
    }

    TestDicoms us(int tag, int value) {
        return element(tag, "US", le(2, value));
    }

    /** One element with its value. */
    TestDicoms element(int tag, String vr, byte[] value) {
        header(tag, vr, value.length);
        body.writeBytes(value);
        return this;
    }

    /** An element header alone, claiming {@code length} (0xFFFFFFFF: undefined), for broken files. */
    TestDicoms header(int tag, String vr, long length) {
        body.writeBytes(tag(tag));
        if (!explicit || (tag >>> 16) == 0xFFFE) {
            body.writeBytes(le(4, length));
        } else if (List.of("OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OD", "OF", "OL", "ZZ").contains(vr)) {
            body.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(new byte[2]);
            body.writeBytes(le(4, length));
        } else {
            body.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(le(2, length));
        }
        return this;
    }

    /** Encapsulated pixel data: an offset table of {@code offsets} entries, then the fragments, then the delimiter. */
    TestDicoms encapsulated(int offsets, byte[]... fragments) {
        header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL);
        header(Tags.ITEM, null, 4L * offsets);
        for (int i = 0; i < offsets; i++) {
            body.writeBytes(le(4, i * 100));
        }
        for (byte[] f : fragments) {
            header(Tags.ITEM, null, f.length);
            body.writeBytes(f);
        }
        return header(Tags.SEQUENCE_DELIMITER, null, 0);
    }

    TestDicoms raw(byte[] bytes) {
        body.writeBytes(bytes);
        return this;
    }

    byte[] body() {
        return body.toByteArray();
    }

    byte[] build() {
        return part10(syntax, body.toByteArray());
    }

    /** Preamble, DICM and a file meta group naming {@code syntax}, then {@code dataSet} as given. */
    static byte[] part10(String syntax, byte[] dataSet) {
        TestDicoms meta = new TestDicoms(EXPLICIT).element(0x00020001, "OB", new byte[] {0, 1})
                .text(0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.7").text(0x00020003, "UI", "1.2.3.4")
                .text(Tags.TRANSFER_SYNTAX_UID, "UI", syntax);
        byte[] group = meta.body();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new TestDicoms(EXPLICIT).element(0x00020000, "UL", le(4, group.length)).body());
        out.writeBytes(group);
        out.writeBytes(dataSet);
        return out.toByteArray();
    }

    static byte[] tag(int tag) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (tag >>> 16))
                .putShort((short) tag).array();
    }

    static byte[] le(int bytes, long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        byte[] out = new byte[bytes];
        System.arraycopy(b.array(), 0, out, 0, bytes);
        return out;
    }
}
