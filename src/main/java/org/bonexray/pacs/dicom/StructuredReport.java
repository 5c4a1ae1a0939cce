package org.bonexray.pacs.dicom;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.Versions;

/**
 * Builds bonexray's result as a DICOM Comprehensive Structured Report (SOP class 1.2.840.10008.5.1.4.1.1.88.33)
 * that joins the scored study: the same Study Instance UID and patient and study attributes copied from the
 * source instances, a new series (modality SR, described by {@link #seriesDescription}) and a content tree
 * holding the finding (abnormal or normal), the study probability, the threshold, each view's probability
 * inferred from its source image (referenced by SOP Instance UID) and a statement that this is a research
 * tool's output. Comprehensive rather than Basic Text SR because the probabilities are numeric items (NUM),
 * which Basic Text SR does not allow.
 */
public final class StructuredReport {
    /** The attributes copied from a source instance (patient and general study modules), with their VRs. */
    public static final Map<Integer, Vr> COPIED = copied();
    /** Every series description of bonexray's reports starts so; the model id follows. */
    public static final String SERIES_PREFIX = "bonexray AI result, model ";
    static final String DISCLAIMER = "Produced automatically by bonexray, a research tool: not a medical device, "
            + "not for diagnostic use. The probability is a model's output on the listed images and needs a "
            + "radiologist's reading.";
    private static final MathContext DIGITS = new MathContext(10);

    private StructuredReport() {
    }

    private static Map<Integer, Vr> copied() {
        Map<Integer, Vr> m = new LinkedHashMap<>();
        m.put(Tags.PATIENT_NAME, Vr.PN);
        m.put(Tags.PATIENT_ID, Vr.LO);
        m.put(Tags.PATIENT_BIRTH_DATE, Vr.DA);
        m.put(Tags.PATIENT_SEX, Vr.CS);
        m.put(Tags.STUDY_DATE, Vr.DA);
        m.put(Tags.STUDY_TIME, Vr.TM);
        m.put(Tags.REFERRING_PHYSICIAN_NAME, Vr.PN);
        m.put(Tags.STUDY_ID, Vr.SH);
        m.put(Tags.ACCESSION_NUMBER, Vr.SH);
        m.put(Tags.STUDY_DESCRIPTION, Vr.LO);
        return Map.copyOf(m);
    }

    /** The series description naming bonexray and the model, which also finds an existing report again. */
    public static String seriesDescription(String modelId) {
        return SERIES_PREFIX + modelId;
    }

    /**
     * The report as a data set with fresh SOP Instance and Series Instance UIDs.
     *
     * @param content what the report says
     * @param source the copied attributes ({@link #COPIED}) of one source instance; missing ones are left empty
     */
    public static DicomDataset build(ReportContent content, DicomDataset source, ZonedDateTime now) {
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        DicomDataset sr = new DicomDataset()
                .put(Tags.SPECIFIC_CHARACTER_SET, Vr.CS, "ISO_IR 192")
                .put(Tags.INSTANCE_CREATION_DATE, Vr.DA, date).put(Tags.INSTANCE_CREATION_TIME, Vr.TM, time)
                .put(Tags.SOP_CLASS_UID, Vr.UI, DicomUids.COMPREHENSIVE_SR)
                .put(Tags.SOP_INSTANCE_UID, Vr.UI, DicomUids.random())
                .put(Tags.CONTENT_DATE, Vr.DA, date).put(Tags.CONTENT_TIME, Vr.TM, time)
                .put(Tags.MODALITY, Vr.CS, "SR")
                .put(Tags.MANUFACTURER, Vr.LO, "bonexray")
                .put(Tags.MANUFACTURER_MODEL_NAME, Vr.LO, "bonexray")
                .put(Tags.SOFTWARE_VERSIONS, Vr.LO, Versions.bonexray())
                .put(Tags.SERIES_DESCRIPTION, Vr.LO, seriesDescription(content.modelId()))
                .putSequence(Tags.REFERENCED_PERFORMED_PROCEDURE_STEP, List.of())
                .put(Tags.STUDY_INSTANCE_UID, Vr.UI, content.studyUid())
                .put(Tags.SERIES_INSTANCE_UID, Vr.UI, DicomUids.random())
                .put(Tags.SERIES_NUMBER, Vr.IS, "9901")
                .put(Tags.INSTANCE_NUMBER, Vr.IS, "1")
                .put(Tags.COMPLETION_FLAG, Vr.CS, "COMPLETE")
                .put(Tags.VERIFICATION_FLAG, Vr.CS, "UNVERIFIED")
                .putSequence(Tags.PERFORMED_PROCEDURE_CODE, List.of())
                .putSequence(Tags.CURRENT_REQUESTED_PROCEDURE_EVIDENCE, List.of(evidence(content)));
        for (Map.Entry<Integer, Vr> e : COPIED.entrySet()) {
            String value = source.string(e.getKey());
            sr.put(e.getKey(), e.getValue(), value.isEmpty() ? null : value);
        }
        sr.put(Tags.VALUE_TYPE, Vr.CS, "CONTAINER")
                .putSequence(Tags.CONCEPT_NAME_CODE, List.of(Code.DIAGNOSTIC_IMAGING_REPORT.item()))
                .put(Tags.CONTINUITY_OF_CONTENT, Vr.CS, "SEPARATE")
                .putSequence(Tags.CONTENT_SEQUENCE, contentItems(content));
        return sr;
    }

    private static List<DicomDataset> contentItems(ReportContent c) {
        List<DicomDataset> items = new ArrayList<>();
        items.add(item("CONTAINS", "CODE", Code.FINDING)
                .putSequence(Tags.CONCEPT_CODE, List.of((c.abnormal() ? Code.ABNORMAL : Code.NORMAL).item())));
        items.add(number("CONTAINS", Code.STUDY_PROBABILITY, c.probability()));
        items.add(number("CONTAINS", Code.THRESHOLD, c.threshold()));
        items.add(text(Code.BODY_PART, c.bodyPart()));
        for (ReportContent.View v : c.views()) {
            if (v.probability() != null) {
                DicomDataset image = item("INFERRED FROM", "IMAGE", null).putSequence(Tags.REFERENCED_SOP_SEQUENCE,
                        List.of(sopReference(v)));
                items.add(number("CONTAINS", Code.VIEW_PROBABILITY, v.probability())
                        .putSequence(Tags.CONTENT_SEQUENCE, List.of(image)));
            } else {
                items.add(text(Code.VIEW_NOT_SCORED, v.sopInstanceUid() + ": " + v.error()));
            }
        }
        items.add(text(Code.ALGORITHM_NAME, "bonexray"));
        items.add(text(Code.ALGORITHM_VERSION, Versions.bonexray()));
        items.add(text(Code.MODEL_ID, c.modelId()));
        items.add(text(Code.COMMENT, DISCLAIMER));
        return items;
    }

    private static DicomDataset item(String relationship, String valueType, Code concept) {
        DicomDataset d = new DicomDataset().put(Tags.RELATIONSHIP_TYPE, Vr.CS, relationship)
                .put(Tags.VALUE_TYPE, Vr.CS, valueType);
        return concept == null ? d : d.putSequence(Tags.CONCEPT_NAME_CODE, List.of(concept.item()));
    }

    private static DicomDataset text(Code concept, String value) {
        return item("CONTAINS", "TEXT", concept).put(Tags.TEXT_VALUE, Vr.UT, value);
    }

    private static DicomDataset number(String relationship, Code concept, double value) {
        DicomDataset measured = new DicomDataset()
                .putSequence(Tags.MEASUREMENT_UNITS_CODE, List.of(Code.NO_UNITS.item()))
                .put(Tags.NUMERIC_VALUE, Vr.DS, decimal(value));
        return item(relationship, "NUM", concept).putSequence(Tags.MEASURED_VALUE, List.of(measured));
    }

    /** A decimal string of ten significant digits (DS holds 16 characters). */
    static String decimal(double value) {
        return new BigDecimal(value).round(DIGITS).stripTrailingZeros().toString();
    }

    private static DicomDataset sopReference(ReportContent.View v) {
        return new DicomDataset().put(Tags.REFERENCED_SOP_CLASS, Vr.UI, v.sopClassUid())
                .put(Tags.REFERENCED_SOP_INSTANCE, Vr.UI, v.sopInstanceUid());
    }

    /** The Hierarchical SOP Instance Reference of every scored image, grouped by series. */
    private static DicomDataset evidence(ReportContent c) {
        Map<String, List<DicomDataset>> bySeries = new LinkedHashMap<>();
        for (ReportContent.View v : c.views()) {
            bySeries.computeIfAbsent(v.seriesUid(), k -> new ArrayList<>()).add(sopReference(v));
        }
        List<DicomDataset> series = new ArrayList<>();
        bySeries.forEach((uid, refs) -> series.add(new DicomDataset().put(Tags.SERIES_INSTANCE_UID, Vr.UI, uid)
                .putSequence(Tags.REFERENCED_SOP_SEQUENCE, refs)));
        return new DicomDataset().put(Tags.STUDY_INSTANCE_UID, Vr.UI, c.studyUid())
                .putSequence(Tags.REFERENCED_SERIES, series);
    }
}
