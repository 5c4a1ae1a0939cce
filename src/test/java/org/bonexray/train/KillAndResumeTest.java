package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bonexray.cli.ExitCodes;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process stopped mid-run, by SIGKILL (no chance to tidy up) or by SIGTERM (a stop at the next safe
 * point), then resumed, ends where an uninterrupted run ends; SIGTERM leaves a clean exit and no crash file.
 */
class KillAndResumeTest {
    @TempDir
    static Path tmp;
    private static List<String> args;

    @BeforeAll
    static void trainUninterrupted() throws Exception {
        Path root = SignalTree.write(tmp, 14, 9);
        args = List.of("train", "--preset", "demo", "--backbone", "tiny", "--data", root.toString(), "--epochs", "3",
                "--image-size", "32", "--batch-size", "8", "--val-fraction", "0.25", "--threads", "1");
        Process whole = start(args, tmp.resolve("whole"));
        whole.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, whole.waitFor(300, TimeUnit.SECONDS) ? whole.exitValue() : -1);
    }

    @Test
    void killNineThenResumeGivesTheUninterruptedResult() throws Exception {
        Path run = tmp.resolve("killed");
        Process p = start(args, run);
        waitForEpochTwo(p, new StringBuffer());
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to tidy up
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        resumeAndCompare(run);
    }

    @Test
    void sigtermStopsBetweenStepsCleanlyThenResumeGivesTheUninterruptedResult() throws Exception {
        Path run = tmp.resolve("terminated");
        Process p = start(args, run);
        StringBuffer err = new StringBuffer();
        Thread drain = waitForEpochTwo(p, err);
        // SIGTERM, as a scheduler or `kill` sends it (Process.destroy would also close the child's output pipes)
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the stop waits for one step, not the whole run");
        drain.join(10_000);
        assertEquals(ExitCodes.TERMINATED, p.exitValue(), said + err);
        assertTrue(err.toString().contains("Resume with: bonexray train --run-dir " + run), err.toString());
        assertTrue(err.toString().contains("bonexray: stopped (SIGTERM)"), err.toString());
        try (Stream<Path> files = Files.list(run.getParent())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err_pid")), "the JVM crashed");
        }
        assertTrue(Files.isDirectory(run.resolve("checkpoints/last")),
                "the last checkpoint is intact");
        resumeAndCompare(run);
    }

    /**
     * Waits until the first epoch is checkpointed and the second is under way, then keeps reading the child's
     * stderr (so a full pipe never blocks it) into what the returned thread collects.
     */
    private static Thread waitForEpochTwo(Process p, StringBuffer rest) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null && !line.startsWith("epoch 2/3 train")) {
            // the first epoch's lines
        }
        Thread drain = new Thread(() -> {
            try {
                for (String l = err.readLine(); l != null; l = err.readLine()) {
                    rest.append(l).append('\n');
                }
            } catch (IOException ignored) {
                // the child ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return drain;
    }

    private static void resumeAndCompare(Path run) throws Exception {
        Process resumed = start(withResume(args), run);
        resumed.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, resumed.waitFor(300, TimeUnit.SECONDS) ? resumed.exitValue() : -1);
        assertEquals(history(tmp.resolve("whole")), history(run));
        try (LoadedModel a = ModelArtifact.load(tmp.resolve("whole/model")); LoadedModel b = ModelArtifact.load(run.resolve("model"))) {
            var pa = a.single("comparing weights").net().getParameters().values();
            var pb = b.single("comparing weights").net().getParameters().values();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(pa.get(i).getArray().toFloatArray(), pb.get(i).getArray().toFloatArray(), 0f);
            }
        }
    }

    private static List<String> withResume(List<String> args) {
        List<String> out = new ArrayList<>(args);
        out.add("--resume");
        return out;
    }

    /** Every history column except the wall-clock ones and the process's memory, which differ from run to run. */
    private static List<String> history(Path run) throws Exception {
        List<String> rows = new ArrayList<>();
        for (JsonNode r : Json.MAPPER.readTree(run.resolve("history.json").toFile())) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove(List.of("imagesPerSecond", "seconds", "memory"));
            rows.add(r.toString());
        }
        return rows;
    }

    /** The child runs in the run's parent folder, where a crashing JVM would leave its hs_err_pid file. */
    private static Process start(List<String> args, Path runDir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), "org.bonexray.cli.Main"));
        cmd.addAll(args);
        cmd.add("--run-dir");
        cmd.add(runDir.toString());
        Files.createDirectories(runDir.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(runDir.getParent().toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }
}
