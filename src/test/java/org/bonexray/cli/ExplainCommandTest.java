package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.io.Json;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandRunner r = CommandRunner.run(args);
        out.append(r.out);
        err.append(r.err);
        return r.exitCode;
    }

    static Path model(Path dir) {
        Path m = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelSpec spec = new ModelSpec(DenseNetVariant.TINY, HeadSpec.linear(), Initialization.HE, 3, 64);
            AbnormalityNet net = AbnormalityNet.initialize(manager, spec);
            ModelArtifact.save(m, net, new ModelArtifact.Description(ModelArtifact.FORMAT, spec,
                    new Preprocessing(64, ResizeMode.LETTERBOX, Normalization.MINUS_ONE_TO_ONE), 0.5), Map.of());
        }
        return m;
    }

    private static Path png(Path file, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 3 + y * 5) % 256);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void writesOverlaysMapsAndSummaryForAStudyFolder(@TempDir Path dir) throws Exception {
        Path study = dir.resolve("study1_positive");
        png(study.resolve("image1.png"), 90, 60);
        png(study.resolve("image2.png"), 50, 70);
        Path outDir = dir.resolve("out");
        int code = run("explain", "--model", model(dir).toString(), "--out", outDir.toString(), study.toString());
        assertEquals(ExitCodes.OK, code, err.toString());
        BufferedImage overlay = ImageIO.read(outDir.resolve("image1_overlay.png").toFile());
        assertEquals(90, overlay.getWidth());
        assertEquals(60, overlay.getHeight());
        assertTrue(Files.size(outDir.resolve("image2_map.npy")) > 4L * 50 * 70);
        JsonNode summary = Json.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        JsonNode s = summary.get("studies").get(0);
        double p1 = s.get("images").get(0).get("probability").asDouble();
        double p2 = s.get("images").get(1).get("probability").asDouble();
        assertEquals((p1 + p2) / 2, s.get("probability").asDouble(), 1e-12);
        assertEquals("CAM", s.get("images").get(0).get("method").asText());
    }

    @Test
    void aBadImageGivesExitThreeNamingTheFileAndTheOthersAreStillExplained(@TempDir Path dir) throws Exception {
        Path good = png(dir.resolve("s").resolve("good.png"), 40, 40);
        Path bad = dir.resolve("s").resolve("broken.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path outDir = dir.resolve("out");
        int code = run("explain", "--model", model(dir).toString(), "--out", outDir.toString(),
                "--method", "gradcam", good.toString(), bad.toString());
        assertEquals(ExitCodes.BAD_DATA, code);
        assertTrue(err.toString().contains("broken.png"), err.toString());
        assertTrue(Files.exists(outDir.resolve("good_overlay.png")));
        JsonNode images = Json.MAPPER.readTree(outDir.resolve("summary.json").toFile()).get("studies").get(0).get("images");
        assertEquals("GRAD_CAM", images.get(0).get("method").asText());
        assertTrue(images.get(1).get("error").asText().contains("broken.png"));
        assertTrue(images.get(1).get("probability").isNull());
    }

    @Test
    void layerCamOnAnInnerBlockIsAFinerMapAtTheOriginalSizeAndItsLayerIsRecorded(@TempDir Path dir) throws Exception {
        Path image = png(dir.resolve("s").resolve("view.png"), 80, 64);
        Path outDir = dir.resolve("out");
        int code = run("explain", "--model", model(dir).toString(), "--out", outDir.toString(), "--method", "layercam",
                "--layer", "denseblock1", image.toString());
        assertEquals(ExitCodes.OK, code, err.toString());
        BufferedImage overlay = ImageIO.read(outDir.resolve("view_overlay.png").toFile());
        assertEquals(80, overlay.getWidth());
        assertEquals(64, overlay.getHeight());
        JsonNode summary = Json.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        assertEquals("denseblock1", summary.get("layer").asText());
        assertEquals("LAYER_CAM", summary.get("studies").get(0).get("images").get(0).get("method").asText());
        assertEquals(ExitCodes.USAGE, run("explain", "--model", model(dir.resolve("m2")).toString(), "--out",
                outDir.toString(), "--layer", "denseblock1,denseblock2", image.toString()));
        assertEquals(ExitCodes.USAGE, run("explain", "--model", model(dir.resolve("m3")).toString(), "--out",
                outDir.toString(), "--method", "cam", "--layer", "denseblock2", image.toString()));
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path dir) throws Exception {
        Path m = model(dir);
        assertEquals(ExitCodes.USAGE, run("explain", "--model", m.toString()));
        assertEquals(ExitCodes.USAGE, run("explain", "--model", m.toString(), "--method", "lime",
                png(dir.resolve("a.png"), 20, 20).toString()));
    }

    @Test
    void localizationOnATinySampleScoresEveryBoxedValidImageAndDatasetModeHonoursTheLimit(@TempDir Path dir) throws Exception {
        assertEquals(0, run("sample-data", "--out", dir.toString(), "--seed", "5", "--train-studies-per-part", "1",
                "--valid-studies-per-part", "1", "--min-side", "48", "--max-side", "64", "--abnormal-fraction", "1"),
                err.toString());
        Path root = dir.resolve("MURA-v1.1");
        long boxed = Files.readAllLines(root.resolve("findings.csv")).stream().skip(1)
                .filter(l -> l.contains("/valid/")).map(l -> l.split(",")[0]).distinct().count();
        assertTrue(boxed > 0);
        Path m = model(dir);
        Path outDir = dir.resolve("loc");
        assertEquals(ExitCodes.OK, run("explain", "--model", m.toString(), "--data", root.toString(), "--localization",
                "--out", outDir.toString()), err.toString());
        JsonNode result = Json.MAPPER.readTree(outDir.resolve("localization.json").toFile());
        JsonNode scores = result.get("scores");
        // norm5: CAM, Grad-CAM, LayerCAM; three inner blocks: Grad-CAM and LayerCAM; all again untrained; 2 baselines
        assertEquals(2 * (3 + 3 * 2) + 2, scores.size());
        assertEquals("CAM", scores.get(0).get("name").asText());
        assertEquals("LAYER_CAM@denseblock1", scores.get(8).get("name").asText());
        assertEquals("CAM untrained", scores.get(9).get("name").asText());
        assertEquals("random baseline", scores.get(scores.size() - 1).get("name").asText());
        for (JsonNode score : scores) {
            assertEquals(boxed, score.get("n").asLong());
            assertTrue(score.get("hitLower").asDouble() <= score.get("hitRate").asDouble());
        }
        assertTrue(out.toString().contains("centre baseline"), out.toString());

        Path batch = dir.resolve("batch");
        assertEquals(ExitCodes.OK, run("explain", "--model", m.toString(), "--data", root.toString(), "--limit", "3",
                "--out", batch.toString()), err.toString());
        try (var files = Files.list(batch)) {
            assertEquals(3, files.filter(f -> f.toString().endsWith("_overlay.png")).count());
        }
    }

    @Test
    void localizationOnCocoBoxesScoresAsOnTheSamplesFindingsCsv(@TempDir Path dir) throws Exception {
        assertEquals(0, run("sample-data", "--out", dir.toString(), "--seed", "6", "--train-studies-per-part", "1",
                "--valid-studies-per-part", "1", "--min-side", "48", "--max-side", "64", "--abnormal-fraction", "1"),
                err.toString());
        Path root = dir.resolve("MURA-v1.1");
        Path coco = dir.resolve("boxes.json");
        Files.writeString(coco, cocoOf(root));
        Path m = model(dir);
        JsonNode[] scores = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path outDir = dir.resolve("loc" + i);
            String[] boxes = i == 0 ? new String[0] : new String[] {"--boxes", coco.toString()};
            String[] args = {"explain", "--model", m.toString(), "--data", root.toString(), "--localization",
                "--layer", "norm5", "--out", outDir.toString()};
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(boxes))
                    .toArray(String[]::new);
            assertEquals(ExitCodes.OK, run(all), err.toString());
            scores[i] = Json.MAPPER.readTree(outDir.resolve("localization.json").toFile()).get("scores");
        }
        assertTrue(scores[0].size() > 2 && scores[0].get(0).get("n").asInt() > 0, scores[0].toString());
        assertEquals(scores[0], scores[1]);
        assertTrue(err.toString().contains("(coco)") && err.toString().contains("(csv)"), err.toString());
        assertEquals(ExitCodes.USAGE, run("explain", "--model", m.toString(), "--data", root.toString(),
                "--boxes", coco.toString()));
        assertEquals(ExitCodes.USAGE, run("explain", "--model", m.toString(), "--data", root.toString(),
                "--localization", "--boxes", coco.toString(), "--boxes-format", "kitti"));
        Files.writeString(coco, "{\"images\": [], \"annotations\": [{\"image_id\": 1, \"bbox\": [0, 0, 1, 1]}]}");
        assertEquals(ExitCodes.BAD_DATA, run("explain", "--model", m.toString(), "--data", root.toString(),
                "--localization", "--boxes", coco.toString()));
        assertTrue(err.toString().contains("boxes.json") && err.toString().contains("annotations[0]"), err.toString());
    }

    /** The sample's findings.csv as COCO json: paths from the split folder, boxes as [x, y, w, h]. */
    private static String cocoOf(Path root) throws Exception {
        var images = Json.MAPPER.createArrayNode();
        var annotations = Json.MAPPER.createArrayNode();
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (String line : Files.readAllLines(root.resolve("findings.csv")).subList(1, Files.readAllLines(
                root.resolve("findings.csv")).size())) {
            String[] f = line.split(",");
            String name = f[0].substring("MURA-v1.1/".length());
            if (!ids.containsKey(name)) {
                ids.put(name, ids.size() + 1);
                BufferedImage img = ImageIO.read(root.resolveSibling(f[0]).toFile());
                images.addObject().put("id", ids.get(name)).put("file_name", name).put("width", img.getWidth())
                        .put("height", img.getHeight());
            }
            int x = Integer.parseInt(f[2]);
            int y = Integer.parseInt(f[3]);
            annotations.addObject().put("image_id", ids.get(name)).putArray("bbox").add(x).add(y)
                    .add(Integer.parseInt(f[4]) - x).add(Integer.parseInt(f[5]) - y);
        }
        var doc = Json.MAPPER.createObjectNode();
        doc.set("images", images);
        doc.set("annotations", annotations);
        return Json.MAPPER.writeValueAsString(doc);
    }
}
