package org.bonexray.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the grid report in Debian's headless chromium, offline: it must render (a PNG screenshot) and its DOM
 * must hold every section. Skipped, saying so, where chromium is not installed.
 */
@Tag("browser")
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static List<String> command(Path profile, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    private static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + cmd);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void chromiumRendersTheReportWithEverySection(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "chromium is not installed (apt-get install -y chromium): browser check skipped");
        TinyGrid g = TinyGrid.get();
        Path index = ReportWriter.writeGridReport(g.gridDir, new PrintStream(PrintStream.nullOutputStream()));
        String url = index.toUri().toString();
        Path shot = tmp.resolve("report.png");
        run(command(tmp.resolve("profile1"), "--screenshot=" + shot, "--window-size=1280,2400", url), tmp);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "the screenshot is not a PNG");
        assertEquals(1280, img.getWidth());
        assertEquals(2400, img.getHeight());
        String dom = run(command(tmp.resolve("profile2"), "--dump-dom", url), tmp);
        for (String id : ReportPage.SECTIONS) {
            assertTrue(dom.contains("<section id=\"" + id + "\">"), "rendered DOM lacks section " + id);
        }
        assertTrue(dom.contains("Figure 1."), "no numbered figure in the rendered DOM");
    }
}
