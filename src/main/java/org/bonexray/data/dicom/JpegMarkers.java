package org.bonexray.data.dicom;

/**
 * What a JPEG stream's header says before any decoder sees it: the frame type, sample precision and component
 * count, and the JFIF and Adobe markers that tell whether colour was transformed to YCbCr.
 *
 * @param frameMarker    the SOFn marker (0xC0 baseline, 0xC1 extended, 0xC3 lossless...), 0 when none was found
 * @param precision      bits per sample
 * @param components     colour components
 * @param jfif           an APP0 JFIF marker is present (which implies YCbCr)
 * @param adobeTransform the Adobe APP14 transform flag (0 none, 1 YCbCr, 2 YCCK), -1 without that marker
 */
record JpegMarkers(int frameMarker, int precision, int components, boolean jfif, int adobeTransform) {

    boolean lossless() {
        return frameMarker == 0xC3 || frameMarker == 0xC7 || frameMarker == 0xCB || frameMarker == 0xCF;
    }

    /** Huffman-coded, non-hierarchical: the processes DICOM's JPEG syntaxes decoded here use. */
    boolean supportedProcess() {
        return frameMarker == 0xC0 || frameMarker == 0xC1 || frameMarker == 0xC3;
    }

    /** Scans the markers up to the first scan; never reads past the array, whatever the lengths say. */
    static JpegMarkers scan(byte[] b) {
        int sof = 0;
        int precision = 0;
        int components = 0;
        boolean jfif = false;
        int adobe = -1;
        int i = 2;
        while (i + 4 <= b.length && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            if ((b[i] & 0xFF) != 0xFF) {
                break;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
            int data = i + 4;
            if (length < 2 || data + length - 2 > b.length) {
                break;
            }
            if (isFrameMarker(marker) && length >= 8) {
                sof = marker;
                precision = b[data] & 0xFF;
                components = b[data + 5] & 0xFF;
            } else if (marker == 0xE0 && startsWith(b, data, "JFIF")) {
                jfif = true;
            } else if (marker == 0xEE && length >= 14 && startsWith(b, data, "Adobe")) {
                adobe = b[data + 11] & 0xFF;
            }
            i = data + length - 2;
        }
        return new JpegMarkers(sof, precision, components, jfif, adobe);
    }

    private static boolean isFrameMarker(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    private static boolean startsWith(byte[] b, int at, String ascii) {
        if (at + ascii.length() > b.length) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (b[at + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
