package org.bonexray.data.dicom;

import java.util.Locale;
import java.util.Map;

/** The DICOM tags bonexray reads, as {@code group << 16 | element}, and the VRs implicit-VR files leave out. */
public final class Tags {
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;
    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int STUDY_DATE = 0x00080020;
    public static final int ACCESSION_NUMBER = 0x00080050;
    public static final int MODALITY = 0x00080060;
    public static final int STUDY_DESCRIPTION = 0x00081030;
    public static final int SERIES_DESCRIPTION = 0x0008103E;
    public static final int PATIENT_NAME = 0x00100010;
    public static final int PATIENT_ID = 0x00100020;
    public static final int BODY_PART_EXAMINED = 0x00180015;
    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int STUDY_ID = 0x00200010;
    public static final int LATERALITY = 0x00200060;
    public static final int IMAGE_LATERALITY = 0x00200062;
    public static final int SAMPLES_PER_PIXEL = 0x00280002;
    public static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    public static final int PLANAR_CONFIGURATION = 0x00280006;
    public static final int NUMBER_OF_FRAMES = 0x00280008;
    public static final int ROWS = 0x00280010;
    public static final int COLUMNS = 0x00280011;
    public static final int BITS_ALLOCATED = 0x00280100;
    public static final int BITS_STORED = 0x00280101;
    public static final int HIGH_BIT = 0x00280102;
    public static final int PIXEL_REPRESENTATION = 0x00280103;
    public static final int WINDOW_CENTER = 0x00281050;
    public static final int WINDOW_WIDTH = 0x00281051;
    public static final int RESCALE_INTERCEPT = 0x00281052;
    public static final int RESCALE_SLOPE = 0x00281053;
    public static final int VOI_LUT_FUNCTION = 0x00281056;
    public static final int MODALITY_LUT_SEQUENCE = 0x00283000;
    public static final int LUT_DESCRIPTOR = 0x00283002;
    public static final int LUT_DATA = 0x00283006;
    public static final int VOI_LUT_SEQUENCE = 0x00283010;
    public static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    public static final int DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009;
    public static final int PIXEL_DATA = 0x7FE00010;
    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITER = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;

    /**
     * The VRs of the binary and sequence attributes that are interpreted: an implicit-VR file does not say them, and
     * an explicit one may say UN (unknown) after passing through a system that did not know them. Text attributes
     * need no entry: their bytes are their value whatever the VR.
     */
    private static final Map<Integer, String> BINARY_VRS = Map.ofEntries(
            Map.entry(SAMPLES_PER_PIXEL, "US"), Map.entry(PLANAR_CONFIGURATION, "US"), Map.entry(ROWS, "US"),
            Map.entry(COLUMNS, "US"), Map.entry(BITS_ALLOCATED, "US"), Map.entry(BITS_STORED, "US"),
            Map.entry(HIGH_BIT, "US"), Map.entry(PIXEL_REPRESENTATION, "US"), Map.entry(LUT_DESCRIPTOR, "US"),
            Map.entry(LUT_DATA, "OW"), Map.entry(MODALITY_LUT_SEQUENCE, "SQ"), Map.entry(VOI_LUT_SEQUENCE, "SQ"),
            Map.entry(PIXEL_DATA, "OW"), Map.entry(FLOAT_PIXEL_DATA, "OF"), Map.entry(DOUBLE_FLOAT_PIXEL_DATA, "OD"));

    private Tags() {
    }

    /** The tag as DICOM writes it, {@code (0028,0010)}. */
    public static String format(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** The VR to read a tag's value with: the dictionary's where the file gave none or UN, else the file's. */
    static String effectiveVr(int tag, String vrInFile) {
        String known = BINARY_VRS.get(tag);
        if (known != null && (vrInFile == null || "UN".equals(vrInFile))) {
            return known;
        }
        return vrInFile == null ? "UN" : vrInFile;
    }
}
