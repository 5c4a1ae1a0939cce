package org.bonexray.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.bonexray.io.Json;
import org.bonexray.pacs.dicom.Code;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomJson;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.pacs.dicomweb.PacsHttp;

/**
 * Reads a stored report back as the PACS parsed it (WADO-RS metadata, DICOM JSON made by Orthanc from the
 * stored file): the finding, the study probability, each view's probability by SOP Instance UID, the patient name.
 */
public final class OrthancReports {
    private OrthancReports() {
    }

    public static JsonNode read(DicomWebClient client, String studyUid, ReportStore.StoredReport sr) {
        PacsHttp http = client.http();
        PacsHttp.Response r = http.get(http.endpoint().resolve("studies/" + studyUid + "/series/" + sr.seriesInstanceUid()
                + "/instances/" + sr.sopInstanceUid() + "/metadata"), "application/dicom+json").requireSuccess("metadata");
        List<JsonNode> datasets = DicomJson.parseArray(r.body(), "metadata");
        return summary(datasets.get(0));
    }

    /** Every structured report in the study, by any model, read back and summarised. */
    public static List<ObjectNode> all(DicomWebClient client, String studyUid) {
        PacsHttp http = client.http();
        List<ObjectNode> out = new java.util.ArrayList<>();
        for (JsonNode series : client.searchSeries(studyUid, "SR")) {
            String uid = DicomJson.string(series, Tags.SERIES_INSTANCE_UID);
            PacsHttp.Response r = http.get(http.endpoint().resolve("studies/" + studyUid + "/series/" + uid + "/metadata"),
                    "application/dicom+json").requireSuccess("metadata");
            DicomJson.parseArray(r.body(), "metadata").forEach(d -> out.add(summary(d)));
        }
        return out;
    }

    public static ObjectNode summary(JsonNode sr) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("sop_class", DicomJson.string(sr, Tags.SOP_CLASS_UID));
        out.put("patient_name", DicomJson.string(sr, Tags.PATIENT_NAME));
        out.put("series_description", DicomJson.string(sr, Tags.SERIES_DESCRIPTION));
        ObjectNode views = out.putObject("views");
        for (JsonNode item : DicomJson.items(sr, Tags.CONTENT_SEQUENCE)) {
            String concept = DicomJson.string(DicomJson.items(item, Tags.CONCEPT_NAME_CODE).get(0), Tags.CODE_MEANING);
            if (Code.FINDING.meaning().equals(concept)) {
                out.put("finding", DicomJson.string(DicomJson.items(item, Tags.CONCEPT_CODE).get(0), Tags.CODE_MEANING));
            } else if (Code.STUDY_PROBABILITY.meaning().equals(concept)) {
                out.put("probability", number(item));
            } else if (Code.VIEW_PROBABILITY.meaning().equals(concept)) {
                JsonNode image = DicomJson.items(item, Tags.CONTENT_SEQUENCE).get(0);
                String sop = DicomJson.string(DicomJson.items(image, Tags.REFERENCED_SOP_SEQUENCE).get(0), Tags.REFERENCED_SOP_INSTANCE);
                views.put(sop, number(item));
            } else if (Code.COMMENT.meaning().equals(concept)) {
                out.put("comment", DicomJson.string(item, Tags.TEXT_VALUE));
            }
        }
        return out;
    }

    private static double number(JsonNode item) {
        return Double.parseDouble(DicomJson.string(DicomJson.items(item, Tags.MEASURED_VALUE).get(0), Tags.NUMERIC_VALUE));
    }
}
