package org.bonexray.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.bonexray.pacs.dicom.DicomDataset;
import org.bonexray.pacs.dicom.Part10;
import org.bonexray.pacs.dicom.StructuredReport;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomJson;
import org.bonexray.pacs.dicomweb.DicomWebClient;

/**
 * Puts bonexray's reports into the PACS and finds them again: a report is stored (STOW-RS) into the study it
 * describes, in a series whose description names the model, so a QIDO-RS search for that series tells whether
 * this model has already reported on a study (a watcher that crashed between storing and noting it).
 */
public final class ReportStore {
    private final DicomWebClient client;
    private final String modelId;

    /** A stored report's UIDs. */
    public record StoredReport(String sopInstanceUid, String seriesInstanceUid) {
    }

    public ReportStore(DicomWebClient client, String modelId) {
        this.client = client;
        this.modelId = modelId;
    }

    public String modelId() {
        return modelId;
    }

    /** The Series Instance UID of this model's report series in the study, if one exists. */
    public Optional<String> existing(String studyUid) {
        String description = StructuredReport.seriesDescription(modelId);
        for (JsonNode series : client.searchSeries(studyUid, "SR")) {
            if (description.equals(DicomJson.string(series, Tags.SERIES_DESCRIPTION))) {
                return Optional.ofNullable(DicomJson.string(series, Tags.SERIES_INSTANCE_UID));
            }
        }
        return Optional.empty();
    }

    /** Builds the report of a scored study and stores it; returns once the PACS confirmed it. */
    public StoredReport store(StudyScore score) {
        DicomDataset sr = StructuredReport.build(score.reportContent(modelId), score.source(), ZonedDateTime.now());
        String sop = sr.string(Tags.SOP_INSTANCE_UID);
        client.store(score.studyUid(), List.of(Part10.write(sr)), List.of(sop));
        return new StoredReport(sop, sr.string(Tags.SERIES_INSTANCE_UID));
    }
}
