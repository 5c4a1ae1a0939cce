package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bonexray.model.ModelArtifact;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the page in headless Chromium: {@code /?selftest=1} uploads the bundled test image as a two-view
 * study, turns heatmaps on and flags the outcome on {@code <body data-selftest>}. The DOM is checked for the
 * verdict, both views and the model card, and a screenshot is saved to {@code target/serve-page.png}.
 * Tagged "slow" too, so the default build skips it; run with
 * {@code mvn test -Dtest=BrowserPageTest -DexcludedGroups=none}. Skipped when Chromium is absent.
 */
@Tag("browser")
class BrowserPageTest {
    @TempDir
    Path tmp;


    @Test
    void pageUploadsAStudyAndShowsTheVerdict() throws Exception {
        Path chromium = findChromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium): browser test skipped");
        Path modelDir = System.getProperty("serve.model") != null ? Path.of(System.getProperty("serve.model"))
                : ServeFixtures.tinyModel(tmp.resolve("model"));
        try (BonexrayServer server = ServeFixtures.serve(modelDir, ServeConfig.builder().port(0).build())) {
            String url = server.url() + "?selftest=1";
            String dom = run(chromium, List.of("--dump-dom", url));
            assertTrue(dom.contains("data-selftest=\"done "), "the scripted upload finished: " + tail(dom));
            assertTrue(dom.contains("study probability") && dom.contains("threshold 50.0%"), "verdict shown: " + tail(dom));
            assertTrue(dom.contains("selftest-view1.png") && dom.contains("selftest-view2.png"), "both views shown");
            assertTrue(!dom.contains("No heatmap for this view"), "every view has a heatmap");
            assertTrue(dom.contains("Model id") && dom.contains(ModelArtifact.id(modelDir)), "model card shown");
            Path shot = Path.of("target", "serve-page.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            run(chromium, List.of("--screenshot=" + shot, "--window-size=1200,1500", "--hide-scrollbars", url));
            assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);
        }
    }

    private static String run(Path chromium, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("bonexray-chromium-");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=20000"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
            assertEquals(0, p.exitValue(), "chromium exit code");
            return out;
        } finally {
            p.destroyForcibly();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Path findChromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    private static String tail(String s) {
        return s.length() > 1500 ? s.substring(s.length() - 1500) : s;
    }
}
