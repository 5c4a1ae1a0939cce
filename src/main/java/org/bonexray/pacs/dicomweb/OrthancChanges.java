package org.bonexray.pacs.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Orthanc's own REST API, for what DICOMweb lacks: the {@code /changes} feed (every change with a sequence
 * number; {@code StableStudy} once a study has received no instance for Orthanc's StableAge) and the Study
 * Instance UID of an Orthanc study id.
 */
public final class OrthancChanges {
    /** The change that tells a study is complete for now. */
    public static final String STABLE_STUDY = "StableStudy";
    private static final Pattern ORTHANC_ID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{8}){4}");

    private final PacsHttp http;
    private final URI root;

    /** One entry of the feed. */
    public record Change(long seq, String type, String resourceId) {
    }

    /**
     * A page of the feed.
     *
     * @param changes the entries after the asked sequence number, oldest first
     * @param last the sequence number to ask from next time
     * @param done whether the feed has nothing more for now
     */
    public record Page(List<Change> changes, long last, boolean done) {
    }

    /** @param root Orthanc's REST root, {@code http://pacs:8042/} */
    public OrthancChanges(PacsHttp http, URI root) {
        this.http = http;
        String path = root.getRawPath() == null || root.getRawPath().isEmpty() ? "/" : root.getRawPath();
        this.root = root.resolve(path.endsWith("/") ? path : path + "/");
    }

    /** Orthanc's REST root guessed from its DICOMweb root ({@code .../dicom-web/} one level up), or null. */
    public static URI rootBeside(URI dicomWeb) {
        String path = dicomWeb.getRawPath();
        return path != null && path.endsWith("/dicom-web/") ? dicomWeb.resolve("../") : null;
    }

    public URI root() {
        return root;
    }

    /** The changes after {@code since}, at most {@code limit}. */
    public Page changes(long since, int limit) {
        String what = "Orthanc changes since " + since;
        PacsHttp.Response r = http.get(root.resolve("changes?since=" + since + "&limit=" + limit), "application/json")
                .requireSuccess(what);
        JsonNode page = DicomJson.parseObject(r.body(), what);
        List<Change> changes = new ArrayList<>();
        for (JsonNode c : page.path("Changes")) {
            changes.add(new Change(c.path("Seq").asLong(-1), c.path("ChangeType").asText(""), c.path("ID").asText("")));
        }
        if (!page.path("Last").canConvertToLong() || changes.stream().anyMatch(c -> c.seq() <= since)) {
            throw new PacsException(PacsException.Kind.MALFORMED, what + ": the feed's sequence numbers are not after " + since);
        }
        return new Page(changes, Math.max(since, page.path("Last").asLong()), page.path("Done").asBoolean(true));
    }

    /** The Study Instance UID of an Orthanc study, null when the study no longer exists. */
    public String studyInstanceUid(String orthancStudyId) {
        if (!ORTHANC_ID.matcher(orthancStudyId).matches()) {
            throw new PacsException(PacsException.Kind.MALFORMED, "not an Orthanc study id: " + orthancStudyId);
        }
        String what = "Orthanc study " + orthancStudyId;
        PacsHttp.Response r = http.get(root.resolve("studies/" + orthancStudyId), "application/json");
        if (r.status() == 404) {
            return null;
        }
        JsonNode study = DicomJson.parseObject(r.requireSuccess(what).body(), what);
        String uid = study.path("MainDicomTags").path("StudyInstanceUID").asText("");
        if (uid.isEmpty()) {
            throw new PacsException(PacsException.Kind.MALFORMED, what + " has no StudyInstanceUID");
        }
        return uid;
    }
}
