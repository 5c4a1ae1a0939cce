package org.bonexray.pacs.dicom;

/** The DICOM tags (group &lt;&lt; 16 | element) this package writes and reads back. */
public final class Tags {
    public static final int FILE_META_GROUP_LENGTH = 0x00020000;
    public static final int FILE_META_VERSION = 0x00020001;
    public static final int MEDIA_STORAGE_SOP_CLASS = 0x00020002;
    public static final int MEDIA_STORAGE_SOP_INSTANCE = 0x00020003;
    public static final int TRANSFER_SYNTAX = 0x00020010;
    public static final int IMPLEMENTATION_CLASS = 0x00020012;
    public static final int IMPLEMENTATION_VERSION = 0x00020013;

    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    public static final int IMAGE_TYPE = 0x00080008;
    public static final int INSTANCE_CREATION_DATE = 0x00080012;
    public static final int INSTANCE_CREATION_TIME = 0x00080013;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int STUDY_DATE = 0x00080020;
    public static final int CONTENT_DATE = 0x00080023;
    public static final int STUDY_TIME = 0x00080030;
    public static final int CONTENT_TIME = 0x00080033;
    public static final int ACCESSION_NUMBER = 0x00080050;
    public static final int MODALITY = 0x00080060;
    public static final int CONVERSION_TYPE = 0x00080064;
    public static final int MANUFACTURER = 0x00080070;
    public static final int REFERRING_PHYSICIAN_NAME = 0x00080090;
    public static final int CODE_VALUE = 0x00080100;
    public static final int CODING_SCHEME_DESIGNATOR = 0x00080102;
    public static final int CODE_MEANING = 0x00080104;
    public static final int STUDY_DESCRIPTION = 0x00081030;
    public static final int SERIES_DESCRIPTION = 0x0008103E;
    public static final int MANUFACTURER_MODEL_NAME = 0x00081090;
    public static final int REFERENCED_PERFORMED_PROCEDURE_STEP = 0x00081111;
    public static final int REFERENCED_SERIES = 0x00081115;
    public static final int REFERENCED_SOP_SEQUENCE = 0x00081199;
    public static final int REFERENCED_SOP_CLASS = 0x00081150;
    public static final int REFERENCED_SOP_INSTANCE = 0x00081155;

    public static final int PATIENT_NAME = 0x00100010;
    public static final int PATIENT_ID = 0x00100020;
    public static final int PATIENT_BIRTH_DATE = 0x00100030;
    public static final int PATIENT_SEX = 0x00100040;

    public static final int BODY_PART_EXAMINED = 0x00180015;
    public static final int SOFTWARE_VERSIONS = 0x00181020;

    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int STUDY_ID = 0x00200010;
    public static final int SERIES_NUMBER = 0x00200011;
    public static final int INSTANCE_NUMBER = 0x00200013;
    public static final int PATIENT_ORIENTATION = 0x00200020;
    public static final int LATERALITY = 0x00200060;

    public static final int SAMPLES_PER_PIXEL = 0x00280002;
    public static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    public static final int ROWS = 0x00280010;
    public static final int COLUMNS = 0x00280011;
    public static final int BITS_ALLOCATED = 0x00280100;
    public static final int BITS_STORED = 0x00280101;
    public static final int HIGH_BIT = 0x00280102;
    public static final int PIXEL_REPRESENTATION = 0x00280103;

    public static final int RELATIONSHIP_TYPE = 0x0040A010;
    public static final int VERIFYING_OBSERVER = 0x0040A073;
    public static final int MEASUREMENT_UNITS_CODE = 0x004008EA;
    public static final int VALUE_TYPE = 0x0040A040;
    public static final int CONCEPT_NAME_CODE = 0x0040A043;
    public static final int CONTINUITY_OF_CONTENT = 0x0040A050;
    public static final int TEXT_VALUE = 0x0040A160;
    public static final int CONCEPT_CODE = 0x0040A168;
    public static final int MEASURED_VALUE = 0x0040A300;
    public static final int NUMERIC_VALUE = 0x0040A30A;
    public static final int PERFORMED_PROCEDURE_CODE = 0x0040A372;
    public static final int CURRENT_REQUESTED_PROCEDURE_EVIDENCE = 0x0040A375;
    public static final int COMPLETION_FLAG = 0x0040A491;
    public static final int VERIFICATION_FLAG = 0x0040A493;
    public static final int CONTENT_TEMPLATE = 0x0040A504;
    public static final int CONTENT_SEQUENCE = 0x0040A730;
    public static final int MAPPING_RESOURCE = 0x00080105;
    public static final int TEMPLATE_IDENTIFIER = 0x0040DB00;

    public static final int PIXEL_DATA = 0x7FE00010;

    public static final int ITEM = 0xFFFEE000;

    private Tags() {
    }

    /** The tag as DICOM JSON and QIDO write it: eight upper-case hex digits, {@code 0020000D}. */
    public static String hex(int tag) {
        return String.format("%08X", tag);
    }
}
