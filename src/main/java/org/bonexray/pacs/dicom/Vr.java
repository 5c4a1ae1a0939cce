package org.bonexray.pacs.dicom;

/**
 * The DICOM value representations the writer emits (PS3.5 6.2), with how explicit VR little endian encodes
 * their length and pads their values.
 */
public enum Vr {
    AE(16), AS(4), CS(16), DA(8), DS(16), DT(26), IS(12), LO(64), LT(10240), PN(64), SH(16), ST(1024), TM(14),
    UI(64), UC(0), UR(0), UT(0), US(0), UL(0), OB(0), OW(0), SQ(0);

    private final int maxCharsPerValue;

    Vr(int maxCharsPerValue) {
        this.maxCharsPerValue = maxCharsPerValue;
    }

    /** Whether the element has two reserved bytes and a 32-bit length (PS3.5 7.1.2) instead of a 16-bit one. */
    public boolean longLength() {
        return this == OB || this == OW || this == SQ || this == UC || this == UR || this == UT;
    }

    /** The pad byte that makes a value's length even: NUL for UIDs and binary data, a space for text. */
    public byte padding() {
        return this == UI || this == OB ? 0 : (byte) ' ';
    }

    /** Whether values are text (joined with backslashes when multi-valued). */
    public boolean isText() {
        return this != US && this != UL && this != OB && this != OW && this != SQ;
    }

    /** The longest value allowed in characters (0: limited only by the length field). */
    public int maxCharsPerValue() {
        return maxCharsPerValue;
    }
}
