package org.bonexray.data.image;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bonexray.data.dicom.DicomFile;
import org.bonexray.data.image.BadImageException.Reason;

/** The image formats accepted, recognised by their magic bytes (never by the file name). */
enum ImageFormat {
    PNG("png", PngChunks.SIGNATURE),
    JPEG("jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
    GIF87("gif", "GIF87a".getBytes(StandardCharsets.US_ASCII)),
    GIF89("gif", "GIF89a".getBytes(StandardCharsets.US_ASCII)),
    BMP("bmp", "BM".getBytes(StandardCharsets.US_ASCII)),
    /** DICOM Part 10: {@code DICM} after a 128-byte preamble; decoded by {@code data.dicom}, not ImageIO. */
    DICOM("dicom", "DICM".getBytes(StandardCharsets.US_ASCII), DicomFile.MAGIC_OFFSET);

    /** Recognised image formats that are refused, with their names for the message. */
    private static final Object[][] REFUSED = {
        {"TIFF", new byte[] {'I', 'I', 42, 0}},
        {"TIFF", new byte[] {'M', 'M', 0, 42}},
        {"JPEG 2000", new byte[] {0, 0, 0, 12, 'j', 'P', ' ', ' '}},
        {"JPEG 2000", new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}},
        {"Photoshop", "8BPS".getBytes(StandardCharsets.US_ASCII)},
        {"OpenEXR", new byte[] {0x76, 0x2F, 0x31, 0x01}},
        {"JPEG XL", new byte[] {(byte) 0xFF, 0x0A}},
    };

    private final String label;
    private final byte[] magic;
    private final int offset;

    ImageFormat(String label, byte[] magic) {
        this(label, magic, 0);
    }

    ImageFormat(String label, byte[] magic, int offset) {
        this.label = label;
        this.magic = magic;
        this.offset = offset;
    }

    /** The ImageIO format name. */
    String label() {
        return label;
    }

    /** Recognises the format of {@code bytes} or throws the reason it cannot be decoded. */
    static ImageFormat sniff(byte[] bytes, Path file) {
        if (bytes.length == 0) {
            throw new BadImageException(file, Reason.EMPTY, null);
        }
        for (ImageFormat format : values()) {
            if (startsWith(bytes, format.magic, format.offset)) {
                return format;
            }
        }
        for (ImageFormat format : values()) {
            if (format.offset == 0 && bytes.length < format.magic.length && startsWith(format.magic, bytes, 0)) {
                throw new BadImageException(file, Reason.TRUNCATED, "only " + bytes.length + " bytes of a "
                        + format.label + " signature");
            }
        }
        String refused = refusedFormat(bytes);
        if (refused != null) {
            throw new BadImageException(file, Reason.UNSUPPORTED_FORMAT, "it is a " + refused);
        }
        throw new BadImageException(file, Reason.NOT_AN_IMAGE,
                "its first bytes match no image format; PNG, JPEG, BMP, GIF and DICOM Part 10 are read");
    }

    private static String refusedFormat(byte[] bytes) {
        for (Object[] entry : REFUSED) {
            if (startsWith(bytes, (byte[]) entry[1], 0)) {
                return entry[0] + " image";
            }
        }
        if (startsWith(bytes, "RIFF".getBytes(StandardCharsets.US_ASCII), 0)
                && startsWith(bytes, "WEBP".getBytes(StandardCharsets.US_ASCII), 8)) {
            return "WebP image";
        }
        if (startsWith(bytes, "ftyp".getBytes(StandardCharsets.US_ASCII), 4)) {
            return "HEIF/AVIF image";
        }
        if (looksLikeBareDicom(bytes)) {
            return "DICOM data set without the Part 10 header (the 128-byte preamble and DICM); rewrite it as a Part 10 file";
        }
        return null;
    }

    /**
     * A data set written without its Part 10 header starts with a group 0008 element (explicit VR: two letters
     * after the tag); such files exist (old exports), and naming them saves the user a hunt.
     */
    private static boolean looksLikeBareDicom(byte[] b) {
        return b.length >= 8 && b[0] == 0x08 && b[1] == 0 && b[3] == 0
                && (Character.isUpperCase(b[4]) && Character.isUpperCase(b[5]) || b[6] == 0 && b[7] == 0);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix, int offset) {
        if (bytes.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
