package org.bonexray.pacs.dicom;

/**
 * A coded concept (PS3.3 8.8, Code Sequence Macro). The {@code 99BONEXRAY} scheme is bonexray's private one
 * (PS3.16 8: designators starting with 99 are local), used only where no standard code names the concept.
 *
 * @param value the code value
 * @param scheme the coding scheme designator: DCM, LN, SCT, UCUM or 99BONEXRAY
 * @param meaning the code meaning shown to people
 */
public record Code(String value, String scheme, String meaning) {
    public static final String LOCAL_SCHEME = "99BONEXRAY";

    public static final Code DIAGNOSTIC_IMAGING_REPORT = new Code("18748-4", "LN", "Diagnostic Imaging Report");
    public static final Code FINDING = new Code("121071", "DCM", "Finding");
    public static final Code ABNORMAL = new Code("263654008", "SCT", "Abnormal");
    public static final Code NORMAL = new Code("17621005", "SCT", "Normal");
    public static final Code ALGORITHM_NAME = new Code("111001", "DCM", "Algorithm Name");
    public static final Code ALGORITHM_VERSION = new Code("111003", "DCM", "Algorithm Version");
    public static final Code COMMENT = new Code("121106", "DCM", "Comment");
    public static final Code NO_UNITS = new Code("1", "UCUM", "no units");
    public static final Code STUDY_PROBABILITY = local("BX001", "Study probability of abnormality");
    public static final Code THRESHOLD = local("BX002", "Decision threshold");
    public static final Code VIEW_PROBABILITY = local("BX003", "View probability of abnormality");
    public static final Code BODY_PART = local("BX004", "Body part scored");
    public static final Code MODEL_ID = local("BX005", "Model identifier");
    public static final Code VIEW_NOT_SCORED = local("BX006", "View not scored");

    private static Code local(String value, String meaning) {
        return new Code(value, LOCAL_SCHEME, meaning);
    }

    /** The code as one item of a code sequence. */
    public DicomDataset item() {
        return new DicomDataset().put(Tags.CODE_VALUE, Vr.SH, value).put(Tags.CODING_SCHEME_DESIGNATOR, Vr.SH, scheme)
                .put(Tags.CODE_MEANING, Vr.LO, meaning);
    }
}
