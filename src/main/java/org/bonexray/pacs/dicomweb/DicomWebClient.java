package org.bonexray.pacs.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.bonexray.pacs.dicom.DicomUids;
import org.bonexray.pacs.dicom.Tags;

/**
 * The DICOMweb requests bonexray makes (PS3.18): QIDO-RS searches for a study's instances and series, WADO-RS
 * retrieval of one instance as a Part 10 file, STOW-RS storage of new instances into a study.
 */
public final class DicomWebClient {
    /** WADO-RS: the instance as stored, whatever its transfer syntax. */
    public static final String AS_STORED = "*";
    private static final String DICOM_JSON = "application/dicom+json";

    private final PacsHttp http;
    private final String transferSyntax;

    /**
     * @param transferSyntax the transfer syntax asked of WADO-RS: {@link #AS_STORED}, or a UID the server must
     *                       transcode to (1.2.840.10008.1.2.1 asks for uncompressed explicit little endian)
     */
    public DicomWebClient(PacsHttp http, String transferSyntax) {
        if (!AS_STORED.equals(transferSyntax) && !DicomUids.isValid(transferSyntax)) {
            throw new IllegalArgumentException("a transfer syntax is '*' or a UID, got " + transferSyntax);
        }
        this.http = http;
        this.transferSyntax = transferSyntax;
    }

    public PacsHttp http() {
        return http;
    }

    /** QIDO-RS: the instances of a study with the attributes asked for (an unknown study has none). */
    public List<JsonNode> searchInstances(String studyUid, List<Integer> includeFields) {
        String fields = includeFields.stream().map(t -> "includefield=" + Tags.hex(t)).collect(Collectors.joining("&"));
        String what = "QIDO-RS instances of study " + studyUid;
        PacsHttp.Response r = http.get(http.endpoint().resolve("studies/" + uid(studyUid) + "/instances?" + fields),
                DICOM_JSON).requireSuccess(what);
        return DicomJson.parseArray(r.body(), what);
    }

    /** QIDO-RS: the series of a study of one modality, with their descriptions. */
    public List<JsonNode> searchSeries(String studyUid, String modality) {
        String what = "QIDO-RS series of study " + studyUid;
        PacsHttp.Response r = http.get(http.endpoint().resolve("studies/" + uid(studyUid) + "/series?Modality="
                + URLEncoder.encode(modality, StandardCharsets.UTF_8) + "&includefield=" + Tags.hex(Tags.SERIES_DESCRIPTION)),
                DICOM_JSON).requireSuccess(what);
        return DicomJson.parseArray(r.body(), what);
    }

    /** WADO-RS: one instance as a Part 10 file. */
    public byte[] retrieveInstance(String studyUid, String seriesUid, String sopInstanceUid) {
        String what = "WADO-RS instance " + sopInstanceUid;
        String accept = "multipart/related; type=\"application/dicom\"; transfer-syntax=" + transferSyntax;
        PacsHttp.Response r = http.get(http.endpoint().resolve("studies/" + uid(studyUid) + "/series/" + uid(seriesUid)
                + "/instances/" + uid(sopInstanceUid)), accept).requireSuccess(what);
        List<Multipart.Part> parts = Multipart.parse(r.contentType(), r.body(), 1);
        if (parts.size() != 1 || !parts.get(0).contentType().toLowerCase(java.util.Locale.ROOT).startsWith("application/dicom")) {
            throw new PacsException(PacsException.Kind.MALFORMED, what + ": expected one application/dicom part, got "
                    + parts.size() + " part(s)");
        }
        return parts.get(0).content();
    }

    /**
     * STOW-RS: stores Part 10 files into a study; returns normally only when the server reports every instance
     * stored (no Failed SOP Sequence, each SOP Instance UID among the referenced ones).
     */
    public void store(String studyUid, List<byte[]> files, List<String> sopInstanceUids) {
        String what = "STOW-RS into study " + studyUid;
        Multipart.Body body = Multipart.write("application/dicom", files);
        PacsHttp.Response r = http.post(http.endpoint().resolve("studies/" + uid(studyUid)), body.contentType(),
                body.bytes(), DICOM_JSON).requireSuccess(what);
        JsonNode answer = r.body().length == 0 ? null : DicomJson.parseObject(r.body(), what);
        if (answer == null) {
            throw new PacsException(PacsException.Kind.MALFORMED, what + ": the server sent no STOW-RS answer");
        }
        if (!DicomJson.items(answer, FAILED_SOP_SEQUENCE).isEmpty()) {
            throw new PacsException(PacsException.Kind.REFUSED, r.status(), what + ": the server reports failed instances", null);
        }
        List<String> stored = DicomJson.items(answer, Tags.REFERENCED_SOP_SEQUENCE).stream()
                .map(item -> DicomJson.string(item, Tags.REFERENCED_SOP_INSTANCE)).toList();
        if (!stored.containsAll(sopInstanceUids)) {
            throw new PacsException(PacsException.Kind.REFUSED, r.status(), what + ": the server did not confirm every instance", null);
        }
    }

    private static final int FAILED_SOP_SEQUENCE = 0x00081198;

    /** A UID as a path segment, refused unless it is one (so nothing else can reach the URL). */
    private static String uid(String uid) {
        if (!DicomUids.isValid(uid)) {
            throw new IllegalArgumentException("not a DICOM UID: " + uid);
        }
        return uid;
    }
}
