package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandRunner r = CommandRunner.run(args);
        out.append(r.out);
        err.append(r.err);
        return r.exitCode;
    }

    /** The command's JSON line, checked for the fields every workload has. */
    private JsonNode jsonLine(String workload) throws Exception {
        String[] lines = out.toString().strip().split("\\R");
        assertEquals(2, lines.length, out.toString());
        assertTrue(lines[0].startsWith("# " + workload), lines[0]);
        JsonNode json = Json.MAPPER.readTree(lines[1]);
        assertEquals("bonexray", json.get("engine").asText());
        assertEquals(workload, json.get("workload").asText());
        assertTrue(json.get("images_per_s").asDouble() > 0, lines[1]);
        assertTrue(json.get("median_s").asDouble() > 0, lines[1]);
        return json;
    }

    @Test
    void inferenceOnATinyNetPrintsOneJsonLineAndChannelsLastGivesTheSameProbabilities() throws Exception {
        assertEquals(0, run("bench", "--workload", "infer", "--model", "tiny", "--size", "32", "--batch", "2",
                "--warmup", "0", "--iterations", "1", "--layout", "CHANNELS_LAST"), err.toString());
        JsonNode json = jsonLine("infer");
        assertEquals("tiny", json.get("model").asText());
        assertEquals(2, json.get("batch").asInt());
        assertEquals("channels_last", json.get("layout").asText());
        assertEquals(1, json.get("seconds").size());
        assertTrue(json.get("details").get("max_probability_diff_vs_fp32_nchw").asDouble() < 1e-5, json.toString());
    }

    @Test
    void bf16InferenceStaysWithinTheProductsToleranceAndTrains() throws Exception {
        assertEquals(0, run("bench", "--workload", "infer", "--model", "tiny", "--size", "32", "--batch", "2",
                "--warmup", "1", "--iterations", "1", "--precision", "BF16", "--layout", "CHANNELS_LAST"), err.toString());
        JsonNode json = jsonLine("infer");
        assertEquals("bf16", json.get("precision").asText());
        double diff = json.get("details").get("max_probability_diff_vs_fp32_nchw").asDouble();
        assertTrue(diff > 0 && diff < 1e-2, json.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("bench", "--workload", "train", "--model", "tiny", "--size", "32", "--batch", "2",
                "--warmup", "1", "--iterations", "2", "--precision", "BF16", "--layout", "CHANNELS_LAST"), err.toString());
        JsonNode step = jsonLine("train");
        assertEquals("bf16", step.get("precision").asText());
        assertTrue(step.get("details").get("last_loss").asDouble() > 0, step.toString());
    }

    @Test
    void trainingRefusesFormatsItCannotRun() {
        assertEquals(ExitCodes.USAGE, run("bench", "--workload", "train", "--model", "tiny", "--size", "32", "--batch", "2",
                "--precision", "FP16"));
        assertTrue(err.toString().contains("fp32"), err.toString());
        assertEquals(ExitCodes.USAGE, run("bench", "--workload", "infer", "--model", "tiny", "--size", "32", "--batch", "2",
                "--precision", "BF16", "--layout", "CHANNELS_LAST_ALL"));
        assertTrue(err.toString().contains("CHANNELS_LAST"), err.toString());
    }

    @Test
    void memoryWorkloadTrainsAndSamplesTheResidentSet() throws Exception {
        assertEquals(0, run("bench", "--workload", "memory", "--model", "tiny", "--size", "32", "--batch", "2",
                "--warmup", "1", "--iterations", "2", "--sample-every", "1"), err.toString());
        JsonNode json = jsonLine("memory");
        JsonNode details = json.get("details");
        assertTrue(Double.isFinite(details.get("last_loss").asDouble()) && details.get("last_loss").asDouble() > 0);
        assertEquals(2, details.get("rss_samples_mib").size());
        assertTrue(details.has("rss_growth_mib"), details.toString());
    }

    @Test
    void dataWorkloadReadsPngsAndNeedsAFolder(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            BufferedImage image = new BufferedImage(40 + i, 30, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setSample(5, 5, 0, 200);
            ImageIO.write(image, "png", dir.resolve("img" + i + ".png").toFile());
        }
        assertEquals(ExitCodes.USAGE, run("bench", "--workload", "data"));
        assertTrue(err.toString().contains("--data"), err.toString());
        assertEquals(0, run("bench", "--workload", "data", "--data", dir.toString(), "--threads", "2",
                "--warmup", "0", "--iterations", "1"), err.toString());
        JsonNode json = jsonLine("data");
        assertEquals(3, json.get("details").get("images").asInt());
        assertEquals(2, json.get("threads").asInt());
        assertEquals("none", json.get("details").get("image_cache").asText());
    }

    @Test
    void dataWorkloadWithAWarmCacheDecodesNothingInItsTimedPasses(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            ImageIO.write(new BufferedImage(50, 30 + i, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("img" + i + ".png").toFile());
        }
        for (String mode : new String[] {"MEMORY", "DISK"}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run("bench", "--workload", "data", "--data", dir.toString(), "--image-cache", mode,
                    "--warmup", "1", "--iterations", "1"), err.toString());
            JsonNode details = jsonLine("data").get("details");
            assertEquals(mode.toLowerCase(java.util.Locale.ROOT), details.get("image_cache").asText());
            assertEquals(0, details.get("cache_decodes_after_fill").asInt(), details.toString());
        }
    }
}
