package org.bonexray.data.dicom;

import java.nio.file.Path;
import java.util.Map;

/** The transfer syntaxes this reader decodes, and how their data set and pixel data are encoded. */
public enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", "Implicit VR Little Endian", Encoding.NATIVE, false),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", "Explicit VR Little Endian", Encoding.NATIVE, true),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", Encoding.NATIVE, true),
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", Encoding.JPEG, true),
    JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4), 8-bit", Encoding.JPEG, true),
    JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)", Encoding.JPEG, true),
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", "JPEG Lossless (Process 14, Selection Value 1)", Encoding.JPEG, true),
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", Encoding.JPEG_2000, true),
    JPEG_2000("1.2.840.10008.1.2.4.91", "JPEG 2000", Encoding.JPEG_2000, true),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", Encoding.RLE, true);

    /** How pixel data are stored. */
    enum Encoding { NATIVE, JPEG, JPEG_2000, RLE }

    /** Syntaxes that exist and are refused, by name, so the message can say what the file is. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
            Map.entry("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.94", "JPIP Referenced"),
            Map.entry("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"),
            Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 video"),
            Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 video"),
            Map.entry("1.2.840.10008.1.2.4.107", "HEVC/H.265 video"),
            Map.entry("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian"));

    private final String uid;
    private final String label;
    private final Encoding encoding;
    private final boolean explicitVr;

    TransferSyntax(String uid, String label, Encoding encoding, boolean explicitVr) {
        this.uid = uid;
        this.label = label;
        this.encoding = encoding;
        this.explicitVr = explicitVr;
    }

    /** The UID. */
    public String uid() {
        return uid;
    }

    /** The standard's name for it. */
    public String label() {
        return label;
    }

    Encoding encoding() {
        return encoding;
    }

    boolean explicitVr() {
        return explicitVr;
    }

    boolean encapsulated() {
        return encoding != Encoding.NATIVE;
    }

    /** The syntax of {@code uid}, or the reason it is refused (naming it when it is a known one). */
    static TransferSyntax of(String uid, Path file) {
        for (TransferSyntax ts : values()) {
            if (ts.uid.equals(uid)) {
                return ts;
            }
        }
        String name = REFUSED.get(uid);
        throw DicomException.unsupported(file, "DICOM transfer syntax " + uid
                + (name == null ? " (unknown or private)" : " (" + name + ")") + " is not supported; supported are "
                + supportedList());
    }

    private static String supportedList() {
        StringBuilder sb = new StringBuilder();
        for (TransferSyntax ts : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(ts.label);
        }
        return sb.toString();
    }
}
