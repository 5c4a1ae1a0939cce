package org.bonexray.pacs.dicom;

import org.bonexray.data.image.GrayImage;

/**
 * Writes an 8-bit greyscale image as a DICOM Secondary Capture instance (MONOCHROME2, uncompressed), the way a
 * digitised film would arrive: for test studies and for trying bonexray against a PACS with the synthetic sample.
 * A radiograph decoded from an 8-bit file keeps its exact pixel values ({@code round(v * 255)} of values that
 * were {@code k / 255}).
 */
public final class SecondaryCapture {
    private SecondaryCapture() {
    }

    /**
     * The study-level attributes every instance of a made-up study shares.
     *
     * @param studyUid Study Instance UID
     * @param seriesUid Series Instance UID
     * @param patientId Patient ID
     * @param patientName Patient's Name (DICOM PN, {@code Family^Given})
     * @param accession Accession Number, may be null
     * @param bodyPartExamined Body Part Examined (a DICOM defined term such as {@code WRIST}), may be null
     * @param studyDescription Study Description, may be null
     */
    public record Study(String studyUid, String seriesUid, String patientId, String patientName, String accession,
                        String bodyPartExamined, String studyDescription) {
    }

    /** One instance of the study holding {@code image} quantised to 8 bits. */
    public static DicomDataset of(Study study, int instanceNumber, GrayImage image) {
        if (image.width() > 0xFFFF || image.height() > 0xFFFF) {
            throw new IllegalArgumentException("DICOM rows and columns are at most 65535");
        }
        byte[] pixels = new byte[image.width() * image.height()];
        float[] values = image.pixels();
        for (int i = 0; i < values.length; i++) {
            pixels[i] = (byte) Math.round(Math.max(0f, Math.min(1f, values[i])) * 255f);
        }
        return new DicomDataset()
                .put(Tags.SPECIFIC_CHARACTER_SET, Vr.CS, "ISO_IR 192")
                .put(Tags.IMAGE_TYPE, Vr.CS, "DERIVED", "SECONDARY")
                .put(Tags.SOP_CLASS_UID, Vr.UI, DicomUids.SECONDARY_CAPTURE)
                .put(Tags.SOP_INSTANCE_UID, Vr.UI, DicomUids.random())
                .put(Tags.STUDY_DATE, Vr.DA).put(Tags.STUDY_TIME, Vr.TM)
                .put(Tags.ACCESSION_NUMBER, Vr.SH, study.accession())
                .put(Tags.MODALITY, Vr.CS, "CR")
                .put(Tags.CONVERSION_TYPE, Vr.CS, "WSD")
                .put(Tags.MANUFACTURER, Vr.LO, "bonexray")
                .put(Tags.REFERRING_PHYSICIAN_NAME, Vr.PN)
                .put(Tags.STUDY_DESCRIPTION, Vr.LO, study.studyDescription())
                .put(Tags.PATIENT_NAME, Vr.PN, study.patientName())
                .put(Tags.PATIENT_ID, Vr.LO, study.patientId())
                .put(Tags.PATIENT_BIRTH_DATE, Vr.DA).put(Tags.PATIENT_SEX, Vr.CS)
                .put(Tags.BODY_PART_EXAMINED, Vr.CS, study.bodyPartExamined())
                .put(Tags.STUDY_INSTANCE_UID, Vr.UI, study.studyUid())
                .put(Tags.SERIES_INSTANCE_UID, Vr.UI, study.seriesUid())
                .put(Tags.STUDY_ID, Vr.SH).put(Tags.SERIES_NUMBER, Vr.IS, "1").put(Tags.LATERALITY, Vr.CS)
                .put(Tags.INSTANCE_NUMBER, Vr.IS, Integer.toString(instanceNumber))
                .put(Tags.PATIENT_ORIENTATION, Vr.CS)
                .putUs(Tags.SAMPLES_PER_PIXEL, 1)
                .put(Tags.PHOTOMETRIC_INTERPRETATION, Vr.CS, "MONOCHROME2")
                .putUs(Tags.ROWS, image.height()).putUs(Tags.COLUMNS, image.width())
                .putUs(Tags.BITS_ALLOCATED, 8).putUs(Tags.BITS_STORED, 8).putUs(Tags.HIGH_BIT, 7)
                .putUs(Tags.PIXEL_REPRESENTATION, 0)
                .putBytes(Tags.PIXEL_DATA, Vr.OB, pixels);
    }
}
