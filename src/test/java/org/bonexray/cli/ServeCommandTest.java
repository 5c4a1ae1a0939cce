package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve command's options and usage errors (running it blocks until shutdown, so it is not started here). */
class ServeCommandTest {
    @Test
    void helpListsTheSafetyOptions() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("serve", "--help"));
        for (String option : new String[] {"--model", "--host", "--port", "--workers", "--max-file-mb", "--max-total-mb",
                "--max-images", "--token", "--heatmaps", "127.0.0.1"}) {
            assertTrue(out.toString().contains(option), option + " missing from:\n" + out);
        }
    }

    @Test
    void modelIsRequiredAndValuesAreChecked() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(ExitCodes.USAGE, cl.execute("serve"));
        StringWriter err = new StringWriter();
        CommandLine bad = Main.commandLine();
        bad.setErr(new PrintWriter(err));
        assertEquals(ExitCodes.USAGE, bad.execute("serve", "--model", "/nonexistent", "--workers", "0"));
        assertTrue(err.toString().contains("workers"), err.toString());
        StringWriter precision = new StringWriter();
        CommandLine fp8 = Main.commandLine();
        fp8.setErr(new PrintWriter(precision));
        assertEquals(ExitCodes.USAGE, fp8.execute("serve", "--model", "/nonexistent", "--precision", "fp8"));
        assertTrue(precision.toString().contains("expected fp32, bf16 or auto"), precision.toString());
    }

    @Test
    void aHeatmapLayerTheModelLacksOrCamOffThePooledLayerIsRefusedBeforeServing(@TempDir Path dir) {
        Path model = ExplainCommandTest.model(dir);
        String unknown = refusal(model, "layercam", "denseblock9");
        assertTrue(unknown.contains("denseblock1"), unknown);
        String cam = refusal(model, "cam", "denseblock1");
        assertTrue(cam.contains("pooled maps"), cam);
    }

    /** Runs serve with the heatmap choices, expects a usage error before serving and returns its message. */
    private static String refusal(Path model, String method, String layer) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(ExitCodes.USAGE, cl.execute("serve", "--model", model.toString(), "--heatmaps", method,
                "--heatmap-layer", layer, "--port", "0"));
        return err.toString();
    }
}
