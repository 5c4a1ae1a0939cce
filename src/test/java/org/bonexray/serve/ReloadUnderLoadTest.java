package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reloads while clients send studies without pause: no request fails (every answer is 200, or the queue's
 * deliberate 503), and every study sent after a reload answered is predicted by the model it swapped in.
 */
class ReloadUnderLoadTest {
    private static final String ADMIN = "admin-secret";
    private static final int CLIENTS = 4;

    @TempDir
    Path tmp;

    /** One answered study: when it was sent and answered (nanoTime), its status, error code and model id. */
    private record Answer(long sent, long answered, int status, String code, String modelId) {
    }

    @Test
    @Timeout(60)
    void reloadingTwiceUnderLoadFailsNoRequestAndSwitchesEveryLaterStudy() throws Exception {
        Path model = ServeFixtures.tinyModel(tmp.resolve("model"), 7);
        List<Path> nextWeights = List.of(ServeFixtures.tinyModel(tmp.resolve("seed8"), 8).resolve("weights.params"),
                ServeFixtures.tinyModel(tmp.resolve("seed9"), 9).resolve("weights.params"));
        try (BonexrayServer server = ServeFixtures.serve(model, ServeConfig.builder().port(0).heatmaps("none", "norm5")
                .queue(CLIENTS, Duration.ofSeconds(30)).adminToken(ADMIN).build())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            List<String> ids = new ArrayList<>(List.of(server.modelId().orElseThrow()));
            List<long[]> reloads = new ArrayList<>(); // when each reload was asked for and answered
            ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                long seed = 100L * c;
                clients.submit(() -> sendUntilStopped(base.resolve(BonexrayServer.STUDIES), seed, stop, answers));
            }
            try {
                for (Path weights : nextWeights) {
                    awaitAnswers(answers, answers.size() + 10);
                    replaceAtomically(weights, model.resolve("weights.params"));
                    long asked = System.nanoTime();
                    HttpResponse<String> reload = ServeFixtures.send(QueueMetricsReloadTest.reload(base, ADMIN));
                    reloads.add(new long[] {asked, System.nanoTime()});
                    assertEquals(200, reload.statusCode(), reload.body());
                    JsonNode body = Json.MAPPER.readTree(reload.body());
                    assertEquals(ids.get(ids.size() - 1), body.path("previous_model_id").asText());
                    ids.add(body.path("model_id").asText());
                }
                awaitAnswers(answers, answers.size() + 10);
            } finally {
                stop.set(true);
                clients.shutdown();
                assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS), "the clients did not stop");
            }
            assertEquals(3, Set.copyOf(ids).size(), "three weights, three model ids: " + ids);
            checkAnswers(List.copyOf(answers), ids, reloads);
        }
    }

    /** Every answer is 200 or a deliberate 503, and each carries the model that served when it was sent. */
    private static void checkAnswers(List<Answer> answers, List<String> ids, List<long[]> reloads) {
        int[] byModel = new int[ids.size()];
        for (Answer a : answers) {
            assertTrue(a.status() == 200 || a.status() == 503 && a.code().startsWith("queue_"),
                    "a failed request: " + a);
            if (a.status() != 200) {
                continue;
            }
            int model = ids.indexOf(a.modelId());
            assertTrue(model >= 0, "an unknown model id: " + a);
            byModel[model]++;
            int earliest = 0;
            int latest = 0;
            for (long[] r : reloads) {
                earliest += a.sent() > r[1] ? 1 : 0; // sent after this reload was answered: its model or a later one
                latest += a.answered() > r[0] ? 1 : 0; // answered after it was asked for: may be its model
            }
            assertTrue(model >= earliest && model <= latest, "answered by model " + model + ", expected "
                    + earliest + ".." + latest + ": " + a);
        }
        for (int m = 0; m < byModel.length; m++) {
            assertTrue(byModel[m] > 0, "no study was answered by model " + m + " of " + ids);
        }
    }

    private static Void sendUntilStopped(URI studies, long seed, AtomicBoolean stop, ConcurrentLinkedQueue<Answer> out)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (long i = seed; !stop.get(); i++) {
            HttpRequest request = ServeFixtures.multipart(studies,
                    List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(40, 40, i))), Map.of())
                    .timeout(Duration.ofSeconds(30)).build();
            long sent = System.nanoTime();
            HttpResponse<String> r;
            try {
                r = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                out.add(new Answer(sent, System.nanoTime(), -1, "no answer: " + e, null));
                continue;
            }
            JsonNode body = Json.MAPPER.readTree(r.body());
            out.add(new Answer(sent, System.nanoTime(), r.statusCode(), body.path("error").path("code").asText(),
                    body.path("model_id").asText(null)));
        }
        return null;
    }

    private static void awaitAnswers(ConcurrentLinkedQueue<Answer> answers, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (answers.size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + answers.size() + " answers, expected " + count);
            Thread.sleep(10);
        }
    }

    /** How an operator deploys new weights: written beside the old ones, then renamed over them. */
    private static void replaceAtomically(Path source, Path target) throws Exception {
        Path staged = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertNotEquals(0, Files.size(target));
    }
}
