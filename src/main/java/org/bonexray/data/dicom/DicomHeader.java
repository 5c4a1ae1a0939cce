package org.bonexray.data.dicom;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bonexray.data.BodyPart;

/**
 * The attributes of a DICOM file that name it and the study it belongs to: UIDs, modality, body part and
 * descriptions, plus every other short top-level text attribute by tag ({@link #string}). Patient attributes are
 * here for callers that must copy them (a report about the study), but {@link #toString} shows UIDs only: nothing
 * else of a header may reach a log.
 */
public final class DicomHeader {
    private static final int MAX_TEXT_BYTES = 64 << 10;
    private static final Set<String> BINARY_VRS = Set.of("AT", "FL", "FD", "OB", "OD", "OF", "OL", "OV", "OW", "SL",
            "SQ", "SS", "SV", "UL", "US", "UV");

    private final TransferSyntax transferSyntax;
    private final Map<Integer, String> text;

    private DicomHeader(TransferSyntax transferSyntax, Map<Integer, String> text) {
        this.transferSyntax = transferSyntax;
        this.text = text;
    }

    static DicomHeader of(TransferSyntax syntax, DataSet ds) {
        Map<Integer, String> text = new HashMap<>();
        for (DataSet.Element e : ds.elements().values()) {
            boolean isPrivate = (e.tag() >>> 16) % 2 == 1;
            if (!isPrivate && !BINARY_VRS.contains(e.vr()) && e.length() <= MAX_TEXT_BYTES) {
                text.put(e.tag(), ds.string(e.tag()));
            }
        }
        return new DicomHeader(syntax, Map.copyOf(text));
    }

    /** A top-level public text attribute without its padding, null when absent (or binary, or over 64 KiB). */
    public String string(int tag) {
        return text.get(tag);
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    public String studyInstanceUid() {
        return string(Tags.STUDY_INSTANCE_UID);
    }

    public String seriesInstanceUid() {
        return string(Tags.SERIES_INSTANCE_UID);
    }

    public String sopInstanceUid() {
        return string(Tags.SOP_INSTANCE_UID);
    }

    public String sopClassUid() {
        return string(Tags.SOP_CLASS_UID);
    }

    public String modality() {
        return string(Tags.MODALITY);
    }

    public String bodyPartExamined() {
        return string(Tags.BODY_PART_EXAMINED);
    }

    public String studyDescription() {
        return string(Tags.STUDY_DESCRIPTION);
    }

    public String seriesDescription() {
        return string(Tags.SERIES_DESCRIPTION);
    }

    /** Patient ID: PHI, never to be logged. */
    public String patientId() {
        return string(Tags.PATIENT_ID);
    }

    /** MURA's body part for this file: Body Part Examined, else the Study, then the Series Description. */
    public Optional<BodyPart> bodyPart() {
        return BodyPartTerms.of(bodyPartExamined(), studyDescription(), seriesDescription());
    }

    /** UIDs only: the one part of a header that may be logged. */
    @Override
    public String toString() {
        return "DicomHeader[study=" + studyInstanceUid() + ", series=" + seriesInstanceUid() + ", instance="
                + sopInstanceUid() + "]";
    }
}
