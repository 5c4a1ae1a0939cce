package org.bonexray.pacs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.pacs.dicom.DicomUids;
import org.bonexray.pacs.dicom.ReportContent;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomJson;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.pacs.dicomweb.OrthancChanges;
import org.bonexray.pacs.dicomweb.PacsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The DICOMweb client, the uploader and the report store against a real Orthanc. */
@Timeout(120)
class OrthancClientTest {
    @TempDir
    static Path dir;
    static OrthancServer orthanc;
    static List<Path> studies;

    @BeforeAll
    static void start() {
        orthanc = OrthancServer.start(dir.resolve("orthanc"));
        studies = PacsFixtures.sampleStudies(dir.resolve("sample"));
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    @Test
    void uploadedStudiesAreFoundAndRetrievedByteForByte() {
        DicomWebClient client = PacsFixtures.client(orthanc);
        Path study = studies.get(0);
        List<Path> images = PacsFixtures.images(study);
        StudyUploader.Uploaded up = new StudyUploader(client).upload(images, null);
        assertEquals(StudyUploader.fromPath(images.get(0)).orElseThrow(), up.bodyPart());
        List<JsonNode> found = client.searchInstances(up.studyUid(), StudyScorer.includeFields());
        assertEquals(images.size(), found.size());
        for (JsonNode instance : found) {
            assertEquals(up.bodyPart().name(), DicomJson.string(instance, Tags.BODY_PART_EXAMINED));
            assertTrue(InstanceKinds.isImage(instance));
            assertTrue(up.sopInstanceUids().contains(DicomJson.string(instance, Tags.SOP_INSTANCE_UID)));
        }
        JsonNode first = found.stream().filter(i -> up.sopInstanceUids().get(0).equals(DicomJson.string(i, Tags.SOP_INSTANCE_UID)))
                .findFirst().orElseThrow();
        byte[] file = client.retrieveInstance(up.studyUid(), DicomJson.string(first, Tags.SERIES_INSTANCE_UID),
                up.sopInstanceUids().get(0));
        GrayImage png = ImageDecoder.decode(images.get(0));
        byte[] expected = new byte[png.pixels().length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) Math.round(png.pixels()[i] * 255f);
        }
        byte[] tail = java.util.Arrays.copyOfRange(file, file.length - expected.length - (expected.length & 1),
                file.length - (expected.length & 1));
        assertArrayEquals(expected, tail, "the pixel data comes back as written");
    }

    @Test
    void reportsAreStoredIntoTheirStudyAndFoundAgainByModel() {
        DicomWebClient client = PacsFixtures.client(orthanc);
        StudyUploader.Uploaded up = new StudyUploader(client).upload(PacsFixtures.images(studies.get(1)), BodyPart.HAND);
        List<JsonNode> instances = client.searchInstances(up.studyUid(), StudyScorer.includeFields());
        ReportStore store = new ReportStore(client, "feedc0de12345678");
        assertTrue(store.existing(up.studyUid()).isEmpty());
        List<ReportContent.View> views = instances.stream().map(i -> new ReportContent.View(
                DicomJson.string(i, Tags.SOP_CLASS_UID), DicomJson.string(i, Tags.SOP_INSTANCE_UID),
                DicomJson.string(i, Tags.SERIES_INSTANCE_UID), 0.25, null)).toList();
        StudyPredictor.StudyResult result = new StudyPredictor.StudyResult(up.studyUid(), 0.25, false, 0.5,
                views.stream().map(v -> new StudyPredictor.ImageResult(v.sopInstanceUid(), 0.25, null)).toList());
        StudyScore score = new StudyScore(up.studyUid(), StudyScore.Status.SCORED, null, BodyPart.HAND, result, views,
                DicomJson.copy(instances.get(0), org.bonexray.pacs.dicom.StructuredReport.COPIED));
        ReportStore.StoredReport sr = store.store(score);
        assertEquals(sr.seriesInstanceUid(), store.existing(up.studyUid()).orElseThrow());
        assertTrue(new ReportStore(client, "another-model").existing(up.studyUid()).isEmpty());
        JsonNode report = OrthancReports.read(client, up.studyUid(), sr);
        assertEquals("Normal", report.path("finding").asText());
        assertEquals(0.25, report.path("probability").asDouble(), 1e-9);
        assertEquals(up.sopInstanceUids().size(), report.path("views").size());
        assertEquals("Trial^" + StudyUploader.patientFromPath(PacsFixtures.images(studies.get(1)).get(0)),
                report.path("patient_name").asText(), "the patient module is copied from the source");
        // the report itself is not an image to score
        assertFalse(client.searchInstances(up.studyUid(), StudyScorer.includeFields()).stream()
                .filter(i -> sr.sopInstanceUid().equals(DicomJson.string(i, Tags.SOP_INSTANCE_UID)))
                .anyMatch(InstanceKinds::isImage));
    }

    @Test
    void theChangeFeedAnnouncesStableStudiesWithTheirUid() throws Exception {
        DicomWebClient client = PacsFixtures.client(orthanc);
        OrthancChanges feed = new OrthancChanges(client.http(), OrthancChanges.rootBeside(client.http().endpoint().dicomWeb()));
        long before = feed.changes(0, 1000).last();
        StudyUploader.Uploaded up = new StudyUploader(client).upload(PacsFixtures.images(studies.get(2)), null);
        boolean seen = false;
        long deadline = System.currentTimeMillis() + 30_000;
        while (!seen && System.currentTimeMillis() < deadline) {
            for (OrthancChanges.Change c : feed.changes(before, 100).changes()) {
                seen |= OrthancChanges.STABLE_STUDY.equals(c.type()) && up.studyUid().equals(feed.studyInstanceUid(c.resourceId()));
            }
            Thread.sleep(200);
        }
        assertTrue(seen, "a StableStudy change for the uploaded study");
    }

    @Test
    void aWrongPasswordIsRefusedAtOnceAndAnUnknownStudyHasNoInstances() {
        DicomWebClient wrong = PacsFixtures.client(orthanc, "not-the-password", 3);
        PacsException e = assertThrows(PacsException.class, () -> wrong.searchInstances(DicomUids.random(), List.of()));
        assertEquals(PacsException.Kind.REFUSED, e.kind());
        assertEquals(401, e.status());
        assertTrue(PacsFixtures.client(orthanc).searchInstances(DicomUids.random(), List.of()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> wrong.searchInstances("1.2/../../x", List.of()));
    }
}
