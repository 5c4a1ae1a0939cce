package org.bonexray.pacs.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.regex.Pattern;

/** DICOM UIDs: new ones under the UUID-derived root 2.25 (PS3.5 B.2), and the well-known ones written here. */
public final class DicomUids {
    /** Explicit VR Little Endian, the transfer syntax of everything this package writes. */
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    /** Comprehensive SR Storage: text, codes, numbers and image references in one content tree. */
    public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
    /** Secondary Capture Image Storage: the images made from PNGs for test and trial studies. */
    public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    /** bonexray's implementation class UID, a fixed 2.25 UID (derived from a UUID drawn once). */
    public static final String IMPLEMENTATION_CLASS = "2.25.196822012440985830917926138403333217867";

    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    private DicomUids() {
    }

    /** A new globally unique UID: {@code 2.25.} and a random UUID as one unsigned decimal number. */
    public static String random() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, bytes.array());
    }

    /** Whether the text is a UID: at most 64 characters, dot-separated numbers without leading zeros. */
    public static boolean isValid(String uid) {
        return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
    }
}
