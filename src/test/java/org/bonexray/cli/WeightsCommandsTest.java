package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code weights inspect|list|import} and {@code export} as a user runs them. */
@Timeout(120)
class WeightsCommandsTest {
    @TempDir
    Path dir;

    static String fixture(String name) {
        try {
            return Path.of(WeightsCommandsTest.class.getResource("/fixtures/weights/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void inspectDescribesALightningCheckpointAndItsMapping() {
        CommandRunner r = CommandRunner.run("weights", "inspect", fixture("lightning.ckpt"));
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("PyTorch zip checkpoint"), r.out);
        assertTrue(r.out.contains("BF16"), r.out);
        assertTrue(r.out.contains("nested under 'state_dict'"), r.out);
        assertTrue(r.out.contains("fits:      tiny"), r.out);
        assertTrue(r.out.contains("loads strictly"), r.out);
    }

    @Test
    void inspectAsJsonNamesTheXrayModuleAndItsScaling() throws IOException {
        CommandRunner r = CommandRunner.run("weights", "inspect", "--json", fixture("xrv-tiny-densenet.pt"));
        assertEquals(0, r.exitCode, r.toString());
        JsonNode j = Json.MAPPER.readTree(r.out);
        assertEquals("torchxrayvision.models.DenseNet", j.get("moduleClass").asText());
        assertEquals("XRAY", j.get("expectedNormalization").asText());
        assertEquals(j.get("loaded").asInt() > 0, true);
    }

    @Test
    void inspectAgainstTheWrongBackboneFailsWithTheMissingKeys() {
        CommandRunner r = CommandRunner.run("weights", "inspect", "--backbone", "small", fixture("tiny-zip.pth"));
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.out.contains("shape mismatch") || r.out.contains("missing"), r.out);
    }

    @Test
    void aPoisonedCheckpointIsBadDataNamingTheGlobal() {
        CommandRunner r = CommandRunner.run("weights", "inspect", fixture("malicious.pth"));
        assertEquals(3, r.exitCode, r.toString());
        assertTrue(r.err.contains("'posix.system'"), r.err);
    }

    @Test
    void listShowsEveryEntryAndItsCaches() throws IOException {
        CommandRunner r = CommandRunner.run("weights", "list", "--json", "--cache", dir.toString());
        assertEquals(0, r.exitCode, r.toString());
        JsonNode entries = Json.MAPPER.readTree(r.out);
        assertEquals(6, entries.size());
        assertEquals("densenet121.tv_in1k", entries.get(0).get("name").asText());
        assertTrue(entries.get(0).get("url").asText().contains("/resolve/f0d0f2698a02cb133b09d48396db6e1e46fe9f3b/"));
        assertEquals("absent", entries.get(1).get("caches").get(0).get("state").asText());
        assertEquals("torch hub cache", entries.get(4).get("caches").get(1).get("cache").asText());
    }

    @Test
    void importRefusesAFileThatDoesNotFitItsEntryAndCopiesNothing() throws IOException {
        CommandRunner r = CommandRunner.run("weights", "import", fixture("tiny-zip.pth"), "--as", "densenet169.tv_in1k",
                "--sha256", "a".repeat(64), "--cache", dir.toString());
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.err.contains("does not fit densenet169"), r.err);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        CommandRunner unknown = CommandRunner.run("weights", "import", fixture("tiny-zip.pth"), "--cache", dir.toString());
        assertEquals(2, unknown.exitCode, unknown.toString());
        assertTrue(unknown.err.contains("no catalogue entry"), unknown.err);
    }

    @Test
    void exportWritesTheFolderAndSaysHowToCheckIt() throws IOException {
        Path model = ExplainCommandTest.model(dir);
        Path image = fixturePng();
        Path out = dir.resolve("export");
        CommandRunner r = CommandRunner.run("export", "--model", model.toString(), "--out", out.toString(),
                "--check-images", image.toString());
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("tools/check_export.py"), r.out);
        for (String f : new String[] {"model.safetensors", "bonexray-export.json", "README.md", "check.safetensors"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(CommandRunner.run("export", "--model", dir.resolve("nothing").toString(), "--out", out.toString())
                .exitCode == 0);
    }

    @Test
    void thePretrainedStartsGridRefusesClearlyWithoutTheXrayFile() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("BONEXRAY_XRAY_WEIGHTS") == null,
                "BONEXRAY_XRAY_WEIGHTS is set in this environment");
        CommandRunner r = CommandRunner.run("experiment", "--data", dir.toString(), "--preset", "pretrained-starts",
                "--out", dir.resolve("grid").toString());
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("--xray-weights FILE"), r.err);
        CommandRunner both = CommandRunner.run("experiment", "--data", dir.toString(), "--preset", "pretrained-starts",
                "--xray-weights", fixture("xrv-tiny-densenet.pt"), "--pretrained", "imagenet", "--out", dir.toString());
        assertEquals(2, both.exitCode, both.toString());
        assertTrue(both.err.contains("override every row"), both.err);
    }

    private Path fixturePng() throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(70, 60, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 70; x++) {
            img.getRaster().setSample(x, x % 60, 0, 200);
        }
        Path file = dir.resolve("view.png");
        javax.imageio.ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
