package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.io.Json;
import org.bonexray.pacs.OrthancReports;
import org.bonexray.pacs.OrthancServer;
import org.bonexray.pacs.PacsFixtures;
import org.bonexray.pacs.StudyUploader;
import org.bonexray.pacs.dicom.DicomUids;
import org.bonexray.pacs.dicom.Part10;
import org.bonexray.pacs.dicom.SecondaryCapture;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.serve.ServeFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code pacs score} and {@code pacs upload} against a real Orthanc: the report's finding equals {@code predict}'s. */
@Timeout(180)
class PacsCommandTest {
    @TempDir
    static Path dir;
    static OrthancServer orthanc;
    static List<Path> studies;
    static Path model;

    @BeforeAll
    static void start() {
        orthanc = OrthancServer.start(dir.resolve("orthanc"));
        studies = PacsFixtures.sampleStudies(dir.resolve("sample"));
        model = ServeFixtures.tinyModel(dir.resolve("model"));
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    static String[] connection(OrthancServer orthanc) {
        return new String[] {"--url", orthanc.dicomWebUrl(), "--user", OrthancServer.USER, "--password", OrthancServer.PASSWORD,
            "--retries", "2", "--retry-delay-ms", "50"};
    }

    static String[] args(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    /** Skips unless ImageDecoder reads DICOM (the reader of issue 21's part A). */
    static void assumeDicomDecodes() {
        byte[] probe = Part10.write(SecondaryCapture.of(new SecondaryCapture.Study(DicomUids.random(), DicomUids.random(),
                "p", "p", null, "WRIST", null), 1, new org.bonexray.data.image.GrayImage(2, 2, new float[] {0, 1, 0, 1})));
        boolean decodes;
        try {
            ImageDecoder.decode(probe, "probe.dcm");
            decodes = true;
        } catch (RuntimeException e) {
            decodes = false;
        }
        assumeTrue(decodes, "ImageDecoder does not read DICOM yet (the reader of issue 21 part A, branch w21-dicom)");
    }

    @Test
    void uploadPrintsOneNewStudyPerFolder() throws Exception {
        CommandRunner r = CommandRunner.run(args(args(new String[] {"pacs", "upload"}, connection(orthanc)),
                studies.get(0).toString(), studies.get(1).toString()));
        assertEquals(0, r.exitCode, r.toString());
        String[] lines = r.out.strip().split("\n");
        assertEquals(2, lines.length, r.toString());
        JsonNode first = Json.MAPPER.readTree(lines[0]);
        assertTrue(DicomUids.isValid(first.path("study_instance_uid").asText()));
        assertEquals(PacsFixtures.images(studies.get(0)).size(), first.path("instances").asInt());
    }

    @Test
    void scoreStoresAReportWhoseFindingEqualsPredicts() throws Exception {
        assumeDicomDecodes();
        DicomWebClient client = PacsFixtures.client(orthanc);
        Path study = studies.get(2);
        String uid = new StudyUploader(client).upload(PacsFixtures.images(study), null).studyUid();
        CommandRunner score = CommandRunner.run(args(args(new String[] {"pacs", "score"}, connection(orthanc)),
                "--model", model.toString(), "--study", uid));
        assertEquals(0, score.exitCode, score.toString());
        JsonNode json = Json.MAPPER.readTree(score.out);
        CommandRunner predict = CommandRunner.run("predict", "--model", model.toString(), "--json", study.toString());
        assertEquals(0, predict.exitCode, predict.toString());
        JsonNode expected = Json.MAPPER.readTree(predict.out).get(0);
        assertEquals(expected.path("probability").asDouble(), json.path("probability").asDouble(), 1e-6);
        assertEquals(expected.path("abnormal").asBoolean() ? "abnormal" : "normal", json.path("label").asText());
        assertEquals("stored", json.path("status").asText());
        List<ObjectNode> reports = OrthancReports.all(client, uid);
        assertEquals(1, reports.size());
        ObjectNode sr = reports.get(0);
        assertEquals(json.path("label").asText().equals("abnormal") ? "Abnormal" : "Normal", sr.path("finding").asText());
        assertEquals(expected.path("probability").asDouble(), sr.path("probability").asDouble(), 1e-9);
        assertEquals(expected.path("images").size(), sr.path("views").size());
        assertTrue(sr.path("comment").asText().contains("research tool"));

        CommandRunner again = CommandRunner.run(args(args(new String[] {"pacs", "score"}, connection(orthanc)),
                "--model", model.toString(), "--study", uid));
        assertEquals(0, again.exitCode, again.toString());
        assertEquals("already_reported", Json.MAPPER.readTree(again.out).path("status").asText());
        assertEquals(1, OrthancReports.all(client, uid).size(), "scoring again stores no second report");
    }

    @Test
    void usageBadDataAndUnreachablePacsHaveTheirExitCodes() throws Exception {
        CommandRunner unknown = CommandRunner.run(args(args(new String[] {"pacs", "score"}, connection(orthanc)),
                "--model", model.toString(), "--study", DicomUids.random()));
        assertEquals(ExitCodes.BAD_DATA, unknown.exitCode, unknown.toString());
        assertTrue(unknown.err.contains("no instance"), unknown.toString());

        CommandRunner wrong = CommandRunner.run("pacs", "score", "--url", orthanc.dicomWebUrl(), "--user", OrthancServer.USER,
                "--password", "wrong", "--model", model.toString(), "--study", DicomUids.random());
        assertEquals(ExitCodes.FAILURE, wrong.exitCode, wrong.toString());
        assertTrue(wrong.err.contains("401"), wrong.toString());

        CommandRunner down = CommandRunner.run("pacs", "score", "--url", "http://127.0.0.1:9/dicom-web", "--retries", "2",
                "--retry-delay-ms", "10", "--model", model.toString(), "--study", DicomUids.random());
        assertEquals(ExitCodes.FAILURE, down.exitCode, down.toString());
        assertTrue(down.err.contains("failed after 2 tries"), down.toString());

        CommandRunner usage = CommandRunner.run("pacs", "score", "--url", "ftp://x/dicom-web", "--model", model.toString(),
                "--study", "1.2");
        assertEquals(ExitCodes.USAGE, usage.exitCode, usage.toString());
    }
}
