package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bonexray.runtime.CpuFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} on this CPU-only machine, and every command's refusal of a GPU the engine cannot see. */
@Timeout(120)
class DoctorCommandTest {
    @Test
    void doctorPrintsTheFactsAndFindsTheCpuUsable() {
        CommandRunner r = CommandRunner.run("doctor");
        assertEquals(0, r.exitCode, r.toString());
        for (String fact : new String[] {"engine", "PyTorch 2.7.1", "flavor", "library", "GPUs seen", "none",
            "devices used", "bf16 units", "precision auto", "threads", "intra-op", "memory", "huge pages", "DJL cache",
            "offline", "DJL_OFFLINE=true", "check cpu", "usable"}) {
            assertTrue(r.out.contains(fact), fact + " missing:\n" + r.out);
        }
        String auto = CpuFeatures.host().hasBf16Units() ? "bf16 on cpu" : "fp32 on cpu";
        assertTrue(r.out.contains("precision auto") && r.out.contains(auto), r.out);
        assertTrue(r.out.strip().endsWith("usable") && !r.out.contains("not usable"), r.out);
    }

    @Test
    void aGpuIsRefusedAtStartNamingTheSetup(@TempDir Path tmp) {
        Path absent = tmp.resolve("no-such-data");
        String[][] commands = {
            {"doctor", "--device", "gpu"},
            {"train", "--device", "gpu", "--data", absent.toString(), "--run-dir", tmp.resolve("run").toString()},
            {"evaluate", "--device", "gpu:0", "--data", absent.toString(), "--model", tmp.resolve("model").toString()},
            {"predict", "--device", "gpu", "--model", tmp.resolve("model").toString(), absent.toString()},
        };
        for (String[] command : commands) {
            CommandRunner r = CommandRunner.run(command);
            // exit 1, not 3: the device is refused before the missing data or model is even looked at
            assertEquals(ExitCodes.FAILURE, r.exitCode, String.join(" ", command) + "\n" + r);
            assertTrue(r.err.contains("BONEXRAY_LIBTORCH") && r.err.contains("docs/DEVICES.md")
                    && r.err.contains("sees no GPU"), r.toString());
        }
    }

    @Test
    void aMisspeltDeviceIsAUsageError() {
        CommandRunner r = CommandRunner.run("doctor", "--device", "cuda");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("expected auto, cpu, gpu or gpu:N"), r.toString());
    }
}
