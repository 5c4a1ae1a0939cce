package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.explain.Heatmap;
import org.bonexray.explain.HeatmapExplainer;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.runtime.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic batching: studies queued together share one forward pass, and each gets exactly what it would alone
 * (batch norm in inference mode, so no view of a batch affects another's), heatmaps included.
 */
class BatchingTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void studiesSharingABatchGetTheirUnbatchedProbabilities() throws Exception {
        Path modelDir = ServeFixtures.tinyModel(tmp.resolve("model"));
        List<List<byte[]>> studies = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            List<byte[]> views = new ArrayList<>();
            for (int v = 0; v <= s % 3; v++) {
                views.add(ServeFixtures.png(50 + 13 * v + 7 * s, 70 + 5 * s, 100 * s + v));
            }
            studies.add(views);
        }
        List<List<Double>> alone = unbatched(modelDir, studies);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        ServeConfig config = ServeConfig.builder().port(0).heatmaps("none", "norm5").batching(16, Duration.ofMillis(50))
                .build();
        try (BonexrayServer server = ServeFixtures.serve(modelDir, config, log::add)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + BonexrayServer.STUDIES);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            try (AutoCloseable hold = server.batcher().hold()) {
                for (List<byte[]> study : studies) {
                    answers.add(ServeFixtures.HTTP.sendAsync(ServeFixtures.multipart(uri, parts(study), Map.of()).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                while (server.batcher().queuedStudies() < studies.size()) {
                    Thread.sleep(5); // every study waits behind the held batcher, so they leave the queue together
                }
            }
            for (int s = 0; s < studies.size(); s++) {
                HttpResponse<String> r = answers.get(s).get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode images = Json.MAPPER.readTree(r.body()).get("images");
                assertEquals(alone.get(s).size(), images.size());
                for (int v = 0; v < images.size(); v++) {
                    assertEquals(alone.get(s).get(v), images.get(v).get("probability").asDouble(), 1e-5,
                            "study " + s + " view " + v);
                }
            }
        }
        int views = studies.stream().mapToInt(List::size).sum();
        long shared = log.stream().map(BatchingTest::json).filter(l -> l.has("batch_views"))
                .filter(l -> l.get("batch_views").asInt() == views).count();
        assertEquals(studies.size(), shared, "all studies went through one forward pass of " + views + " views: " + log);
    }

    @Test
    @Timeout(120)
    void batchedHeatmapsAreEachViewsOwn() throws Exception {
        Path modelDir = ServeFixtures.tinyModel(tmp.resolve("model"));
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            List<GrayImage> images = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                images.add(ImageDecoder.decode(ServeFixtures.png(60 + 20 * i, 80 - 10 * i, i), "v" + i));
            }
            float[] pixels = new float[images.size() * model.description().preprocessing().floatsPerImage()];
            for (int i = 0; i < images.size(); i++) {
                model.description().preprocessing().toChw(images.get(i), pixels,
                        i * model.description().preprocessing().floatsPerImage());
            }
            for (String layer : List.of("norm5", "denseblock1")) {
                HeatmapExplainer explainer = new HeatmapExplainer(layer);
                List<HeatmapExplainer.Method> methods = layer.equals("norm5")
                        ? List.of(HeatmapExplainer.Method.CAM, HeatmapExplainer.Method.GRAD_CAM)
                        : List.of(HeatmapExplainer.Method.LAYER_CAM);
                for (HeatmapExplainer.Method method : methods) {
                    List<Heatmap> batch = explainer.explainBatch(model, images, pixels, method);
                    for (int i = 0; i < images.size(); i++) {
                        Heatmap one = explainer.explain(model, images.get(i), method);
                        assertEquals(one.probability(), batch.get(i).probability(), 1e-5);
                        assertEquals(one.originalWidth(), batch.get(i).originalWidth());
                        assertClose(one.grid(), batch.get(i).grid(), layer + " " + method + " view " + i);
                    }
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void heatmapLinksOfABatchShowEachViewAtItsSize() throws Exception {
        ServeConfig config = ServeConfig.builder().port(0).heatmaps("auto", "norm5").batching(8, Duration.ofMillis(20))
                .build();
        try (BonexrayServer server = ServeFixtures.serve(ServeFixtures.tinyModel(tmp.resolve("model")), config)) {
            String base = "http://127.0.0.1:" + server.port();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            try (AutoCloseable hold = server.batcher().hold()) {
                for (int s = 0; s < 3; s++) {
                    answers.add(ServeFixtures.HTTP.sendAsync(ServeFixtures.multipart(URI.create(base + BonexrayServer.STUDIES),
                            List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(40 + 10 * s, 30 + s, s))), Map.of())
                            .build(), HttpResponse.BodyHandlers.ofString()));
                }
                while (server.batcher().queuedStudies() < 3) {
                    Thread.sleep(5);
                }
            }
            for (int s = 0; s < 3; s++) {
                JsonNode body = Json.MAPPER.readTree(answers.get(s).get(60, TimeUnit.SECONDS).body());
                String link = body.get("images").get(0).get("heatmap").asText();
                HttpResponse<byte[]> png = ServeFixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(base + link))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                var image = ImageIO.read(new ByteArrayInputStream(png.body()));
                assertEquals(40 + 10 * s, image.getWidth());
                assertEquals(30 + s, image.getHeight());
            }
        }
    }

    /** Each study alone through a predictor of its own, as {@code predict} runs it. */
    private static List<List<Double>> unbatched(Path modelDir, List<List<byte[]>> studies) {
        List<List<Double>> out = new ArrayList<>();
        try (LoadedModel model = ModelArtifact.load(modelDir);
             StudyPredictor predictor = new StudyPredictor(model, null, Precision.FP32, StudyAggregation.MEAN)) {
            for (List<byte[]> study : studies) {
                List<GrayImage> images = study.stream().map(b -> ImageDecoder.decode(b, "view")).toList();
                out.add(predictor.probabilities(images));
            }
        }
        return out;
    }

    private static List<ServeFixtures.Part> parts(List<byte[]> views) {
        List<ServeFixtures.Part> parts = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            parts.add(new ServeFixtures.Part("v" + i + ".png", views.get(i)));
        }
        return parts;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        float scale = 1e-6f;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-4 * scale, what + " at " + i + ": " + expected[i]
                    + " against " + actual[i]);
        }
    }

    static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
