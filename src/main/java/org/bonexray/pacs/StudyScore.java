package org.bonexray.pacs;

import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.pacs.dicom.DicomDataset;
import org.bonexray.pacs.dicom.ReportContent;

/**
 * What scoring one PACS study gave.
 *
 * @param studyUid the Study Instance UID
 * @param status scored, skipped (not for this model) or bad data (nothing decodable)
 * @param reason why it was skipped or refused, null when scored
 * @param bodyPart the body part it was scored as, null when unknown
 * @param result the prediction, null unless scored
 * @param views every image instance, in the order of {@code result.images()}
 * @param source the patient and study attributes to copy into the report
 */
public record StudyScore(String studyUid, Status status, String reason, BodyPart bodyPart,
                         StudyPredictor.StudyResult result, List<ReportContent.View> views, DicomDataset source) {
    /** How scoring a study ended. */
    public enum Status {
        SCORED, SKIPPED, BAD_DATA
    }

    static StudyScore skipped(String studyUid, String reason) {
        return new StudyScore(studyUid, Status.SKIPPED, reason, null, null, List.of(), null);
    }

    static StudyScore badData(String studyUid, BodyPart part, String reason) {
        return new StudyScore(studyUid, Status.BAD_DATA, reason, part, null, List.of(), null);
    }

    /** The report's content; only for a scored study. */
    public ReportContent reportContent(String modelId) {
        if (status != Status.SCORED) {
            throw new IllegalStateException("study " + studyUid + " was not scored");
        }
        return new ReportContent(studyUid, result.abnormal(), result.probability(), result.threshold(),
                bodyPart.name(), modelId, views);
    }
}
