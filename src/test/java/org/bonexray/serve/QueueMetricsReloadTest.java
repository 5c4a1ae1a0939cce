package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A full queue refuses at once, /metrics counts what was sent, and a reload swaps models or keeps the old one. */
class QueueMetricsReloadTest {
    private static final String ADMIN = "admin-secret";
    /** One Prometheus text sample line: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aFullQueueAnswers503AtOnceWithRetryAfterAndMetricsCountIt() throws Exception {
        try (BonexrayServer server = ServeFixtures.serve(ServeFixtures.tinyModel(tmp.resolve("model")),
                ServeConfig.builder().port(0).heatmaps("none", "norm5").queue(1, Duration.ofSeconds(30)).build())) {
            URI studies = URI.create("http://127.0.0.1:" + server.port() + BonexrayServer.STUDIES);
            assertEquals(200, ServeFixtures.send(study(studies, 1)).statusCode());
            CompletableFuture<HttpResponse<String>> queued;
            try (AutoCloseable hold = server.batcher().hold()) {
                queued = ServeFixtures.HTTP.sendAsync(study(studies, 2), HttpResponse.BodyHandlers.ofString());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (server.batcher().queuedStudies() == 0) {
                    assertTrue(System.nanoTime() < deadline, "the study never reached the queue");
                    Thread.sleep(5);
                }
                long start = System.nanoTime();
                HttpResponse<String> refused = ServeFixtures.send(study(studies, 3));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                BonexrayServerTest.assertError(refused, 503, "queue_full");
                assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().toString());
                assertTrue(millis < 5_000, "refused at admission, not after waiting: " + millis + " ms");
            }
            assertEquals(200, queued.get(30, TimeUnit.SECONDS).statusCode(), "the queued study is answered");

            Map<String, Double> metrics = scrape(server);
            assertEquals(2.0, metrics.get("bonexray_http_requests_total{route=\"/api/v1/studies\",status=\"200\"}"),
                    metrics.toString());
            assertEquals(1.0, metrics.get("bonexray_http_requests_total{route=\"/api/v1/studies\",status=\"503\"}"),
                    metrics.toString());
            assertEquals(1.0, metrics.get("bonexray_studies_refused_total{reason=\"queue_full\"}"), metrics.toString());
            assertEquals(2.0, metrics.get("bonexray_batch_views_count"), "two forward passes of one view each");
        }
    }

    @Test
    @Timeout(120)
    void reloadSwapsInAChangedModelAndABrokenOneLeavesTheOldServing() throws Exception {
        Path model = ServeFixtures.tinyModel(tmp.resolve("model"));
        try (BonexrayServer server = ServeFixtures.serve(model,
                ServeConfig.builder().port(0).heatmaps("none", "norm5").adminToken(ADMIN).build())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            URI studies = base.resolve(BonexrayServer.STUDIES);
            String first = server.modelId().orElseThrow();
            HttpResponse<String> unauthorised = ServeFixtures.send(reload(base, "wrong"));
            assertEquals(401, unauthorised.statusCode(), unauthorised.body());

            Path other = ServeFixtures.tinyModel(tmp.resolve("other"), 8);
            Files.copy(other.resolve("weights.params"), model.resolve("weights.params"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            HttpResponse<String> swapped = ServeFixtures.send(reload(base, ADMIN));
            assertEquals(200, swapped.statusCode(), swapped.body());
            JsonNode body = Json.MAPPER.readTree(swapped.body());
            assertEquals(first, body.path("previous_model_id").asText());
            String second = server.modelId().orElseThrow();
            assertNotEquals(first, second, "other weights, another model id");
            assertEquals(second, body.path("model_id").asText());
            assertEquals(200, ServeFixtures.send(study(studies, 4)).statusCode());

            Files.writeString(model.resolve("weights.params"), "not weights");
            HttpResponse<String> broken = ServeFixtures.send(reload(base, ADMIN));
            assertNotEquals(200, broken.statusCode(), broken.body());
            assertTrue(broken.body().contains("reload_failed"), broken.body());
            assertEquals(second, server.modelId().orElseThrow(), "the model that served keeps serving");
            assertEquals(200, ServeFixtures.send(study(studies, 5)).statusCode());
            Map<String, Double> metrics = scrape(server);
            assertEquals(1.0, metrics.get("bonexray_model_loads_total{outcome=\"ok\",trigger=\"admin\"}"), metrics.toString());
            assertEquals(1.0, metrics.get("bonexray_model_loads_total{outcome=\"failed\",trigger=\"admin\"}"),
                    metrics.toString());
        }
    }

    private static HttpRequest study(URI uri, long seed) {
        return ServeFixtures.multipart(uri, List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(40, 40, seed))),
                Map.of()).build();
    }

    static HttpRequest reload(URI base, String token) {
        return HttpRequest.newBuilder(base.resolve(BonexrayServer.RELOAD)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /** Parses the exposition strictly: every line is a comment or a sample with a numeric value. */
    static Map<String, Double> scrape(BonexrayServer server) throws Exception {
        HttpResponse<String> r = ServeFixtures.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build());
        assertEquals(200, r.statusCode());
        return samples(r.body());
    }

    /** The samples of a Prometheus text exposition, by name and labels. */
    static Map<String, Double> samples(String exposition) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not Prometheus text: " + line);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }
}
