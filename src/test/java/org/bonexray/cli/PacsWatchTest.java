package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bonexray.io.AtomicFiles;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pacs watch} against a real Orthanc, restarted in the middle: a watcher in a child process scores the
 * first studies and is stopped with SIGTERM; more studies arrive while it is down (one of them a chest study);
 * the restarted watcher scores exactly the new ones. Then a crash between storing a report and saving the state
 * is replayed, and a PACS that is down costs no study.
 */
@Timeout(300)
class PacsWatchTest {
    @TempDir
    Path dir;

    @Test
    void aRestartedWatcherNeitherSkipsNorRepeatsAStudy() throws Exception {
        PacsCommandTest.assumeDicomDecodes();
        try (OrthancServer orthanc = OrthancServer.start(dir.resolve("orthanc"))) {
            DicomWebClient client = PacsFixtures.client(orthanc);
            List<Path> studies = PacsFixtures.sampleStudies(dir.resolve("sample"));
            Path model = ServeFixtures.tinyModel(dir.resolve("model"));
            Path state = dir.resolve("state.json");
            StudyUploader uploader = new StudyUploader(client);
            List<String> first = List.of(uploader.upload(PacsFixtures.images(studies.get(0)), null).studyUid(),
                    uploader.upload(PacsFixtures.images(studies.get(1)), null).studyUid());

            Process child = childWatcher(orthanc, model, state);
            try {
                waitUntil(() -> doneCount(state) == 2, 120, "the child watcher to score the first two studies");
            } catch (AssertionError e) {
                child.destroyForcibly();
                throw new AssertionError(e.getMessage() + "; its log:\n" + Files.readString(dir.resolve("child.log")), e);
            }
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the watcher stops on SIGTERM");
            assertEquals(143, child.exitValue(), Files.readString(dir.resolve("child.log")));

            List<String> second = new ArrayList<>(List.of(uploader.upload(PacsFixtures.images(studies.get(2)), null).studyUid(),
                    uploader.upload(PacsFixtures.images(studies.get(3)), null).studyUid()));
            String chest = uploadChest(client, PacsFixtures.images(studies.get(4)).get(0));
            for (String uid : concat(second, List.of(chest))) {
                waitUntil(() -> orthanc.stable(uid), 60, "Orthanc to call study " + uid + " stable");
            }
            CommandRunner restarted = watchOnce(orthanc, model, state);
            assertEquals(0, restarted.exitCode, restarted.toString());
            List<String> scoredNow = restarted.out.lines().map(PacsWatchTest::json)
                    .filter(j -> j.path("status").asText().equals("stored")).map(j -> j.path("study_instance_uid").asText()).toList();
            assertEquals(second.stream().sorted().toList(), scoredNow.stream().sorted().toList(),
                    "the restarted watcher scores exactly the studies that arrived while it was down");
            JsonNode saved = Json.MAPPER.readTree(state.toFile());
            assertEquals(4, saved.path("done").size());
            assertEquals("skipped", saved.path("left").path(chest).path("status").asText());
            assertTrue(saved.path("pending").isEmpty());
            for (String uid : concat(first, second)) {
                List<ObjectNode> reports = OrthancReports.all(client, uid);
                assertEquals(1, reports.size(), "one report in study " + uid);
                assertEquals(saved.path("done").path(uid).path("label").asText(),
                        reports.get(0).path("finding").asText().toLowerCase(java.util.Locale.ROOT));
            }
            assertEquals(0, OrthancReports.all(client, chest).size());

            replayACrashBetweenStoringAndSaving(orthanc, client, model, state, second.get(0));
            aPacsThatIsDownCostsNoStudy(orthanc, client, model, state, studies.get(5));
        }
    }

    /** The state loses a done study (as if the watcher died after STOW-RS): it is found, not scored twice. */
    private void replayACrashBetweenStoringAndSaving(OrthancServer orthanc, DicomWebClient client, Path model, Path state,
                                                     String uid) throws Exception {
        ObjectNode saved = (ObjectNode) Json.MAPPER.readTree(state.toFile());
        ((ObjectNode) saved.path("done")).remove(uid);
        ((ObjectNode) saved.path("pending")).set(uid, Json.MAPPER.valueToTree(Map.of("attempts", 0,
                "nextAttempt", "2000-01-01T00:00:00Z")));
        AtomicFiles.writeJson(state, saved);
        CommandRunner r = watchOnce(orthanc, model, state);
        assertEquals(0, r.exitCode, r.toString());
        assertEquals("already_reported", json(r.out.strip()).path("status").asText(), r.toString());
        assertEquals(1, OrthancReports.all(client, uid).size());
        assertEquals("already_reported", Json.MAPPER.readTree(state.toFile()).path("done").path(uid).path("status").asText());
    }

    /** With Orthanc stopped the watcher fails (exit 1) and keeps its state; once Orthanc is back the study is scored. */
    private void aPacsThatIsDownCostsNoStudy(OrthancServer orthanc, DicomWebClient client, Path model, Path state,
                                             Path study) throws Exception {
        String uid = new StudyUploader(client).upload(PacsFixtures.images(study), null).studyUid();
        waitUntil(() -> orthanc.stable(uid), 60, "Orthanc to call study " + uid + " stable");
        orthanc.stop();
        byte[] before = Files.readAllBytes(state);
        CommandRunner down = watchOnce(orthanc, model, state);
        assertEquals(ExitCodes.FAILURE, down.exitCode, down.toString());
        assertArrayEquals(before, Files.readAllBytes(state), "a PACS that is down changes nothing in the state");
        orthanc.launch();
        CommandRunner back = watchOnce(orthanc, model, state);
        assertEquals(0, back.exitCode, back.toString());
        assertEquals(uid, json(back.out.strip()).path("study_instance_uid").asText(), back.toString());
        assertEquals(1, OrthancReports.all(client, uid).size());
    }

    private static String[] watchArgs(OrthancServer orthanc, Path model, Path state, String... more) {
        return PacsCommandTest.args(PacsCommandTest.args(new String[] {"pacs", "watch"}, PacsCommandTest.connection(orthanc)),
                PacsCommandTest.args(new String[] {"--model", model.toString(), "--state", state.toString(), "--poll-s", "1"}, more));
    }

    private static CommandRunner watchOnce(OrthancServer orthanc, Path model, Path state) {
        return CommandRunner.run(watchArgs(orthanc, model, state, "--once"));
    }

    private Process childWatcher(OrthancServer orthanc, Path model, Path state) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.pytorch.num_threads=1", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(watchArgs(orthanc, model, state)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    private static String uploadChest(DicomWebClient client, Path png) {
        SecondaryCapture.Study study = new SecondaryCapture.Study(DicomUids.random(), DicomUids.random(), "chest-1",
                "Chest^Patient", null, "CHEST", "XR CHEST PA");
        var instance = SecondaryCapture.of(study, 1, org.bonexray.data.image.ImageDecoder.decode(png));
        client.store(study.studyUid(), List.of(Part10.write(instance)),
                List.of(instance.string(org.bonexray.pacs.dicom.Tags.SOP_INSTANCE_UID)));
        return study.studyUid();
    }

    private static int doneCount(Path state) {
        try {
            return Files.exists(state) ? Json.MAPPER.readTree(state.toFile()).path("done").size() : 0;
        } catch (IOException e) {
            return 0; // never half-written (atomic), but may vanish between the check and the read
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
