package org.bonexray.pacs.dicom;

import java.util.List;

/**
 * What a bonexray Structured Report says about one study.
 *
 * @param studyUid the scored study's Study Instance UID (the report joins that study)
 * @param abnormal the finding: whether the study probability is above the threshold
 * @param probability the study's probability of abnormality (mean of the scored views')
 * @param threshold the decision threshold applied
 * @param bodyPart the body part the study was scored as (MURA's name, {@code WRIST})
 * @param modelId the model's id (the service's model card id)
 * @param views every image instance of the study, scored or not
 */
public record ReportContent(String studyUid, boolean abnormal, double probability, double threshold, String bodyPart,
                            String modelId, List<View> views) {
    /**
     * One source image.
     *
     * @param sopClassUid its SOP Class UID
     * @param sopInstanceUid its SOP Instance UID
     * @param seriesUid its Series Instance UID
     * @param probability its probability of abnormality, null when it was not scored
     * @param error why it was not scored, null when it was
     */
    public record View(String sopClassUid, String sopInstanceUid, String seriesUid, Double probability, String error) {
    }

    public ReportContent {
        views = List.copyOf(views);
    }
}
