package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training process killed with SIGKILL mid-run, then resumed, ends where an uninterrupted run ends. */
class KillAndResumeTest {
    @TempDir
    Path tmp;

    @Test
    void killNineThenResumeGivesTheUninterruptedResult() throws Exception {
        Path root = SignalTree.write(tmp, 14, 9);
        List<String> args = List.of("train", "--preset", "demo", "--backbone", "tiny", "--data", root.toString(), "--epochs", "3",
                "--image-size", "32", "--batch-size", "8", "--val-fraction", "0.25", "--threads", "1");

        Process p = start(args, tmp.resolve("killed"));
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("epoch 2/3 train")) {
                // wait until the first epoch is checkpointed and the second is under way
            }
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to tidy up
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        Process resumed = start(withResume(args), tmp.resolve("killed"));
        resumed.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, resumed.waitFor(300, TimeUnit.SECONDS) ? resumed.exitValue() : -1);
        Process whole = start(args, tmp.resolve("whole"));
        whole.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, whole.waitFor(300, TimeUnit.SECONDS) ? whole.exitValue() : -1);

        assertEquals(history(tmp.resolve("whole")), history(tmp.resolve("killed")));
        try (LoadedModel a = ModelArtifact.load(tmp.resolve("whole/model")); LoadedModel b = ModelArtifact.load(tmp.resolve("killed/model"))) {
            var pa = a.net().getParameters().values();
            var pb = b.net().getParameters().values();
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

    /** Every history column except the wall-clock ones. */
    private static List<String> history(Path run) throws Exception {
        List<String> rows = new ArrayList<>();
        for (JsonNode r : Json.MAPPER.readTree(run.resolve("history.json").toFile())) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove(List.of("imagesPerSecond", "seconds"));
            rows.add(r.toString());
        }
        return rows;
    }

    private static Process start(List<String> args, Path runDir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), "org.bonexray.cli.Main"));
        cmd.addAll(args);
        cmd.add("--run-dir");
        cmd.add(runDir.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Files.createDirectories(runDir.getParent());
        return pb.start();
    }
}
