package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: a request in flight when close() begins still gets its answer. */
class ShutdownTest {
    @TempDir
    Path tmp;

    @Test
    void closeFinishesTheRequestInFlight() throws Exception {
        try (LoadedModel model = ModelArtifact.load(ServeFixtures.tinyModel(tmp.resolve("model")))) {
            BonexrayServer server = BonexrayServer.start(model,
                    ServeConfig.defaults().withPort(0).withWorkers(1).withAcquireWait(Duration.ofSeconds(20)), HeatmapRenderer.NONE);
            PredictorPool.Lease held = server.pool().acquire(Duration.ofSeconds(5)).orElseThrow();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + BonexrayServer.STUDIES);
            CompletableFuture<HttpResponse<String>> pending = ServeFixtures.HTTP.sendAsync(
                    ServeFixtures.multipart(uri, List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(40, 40, 1))), Map.of()).build(),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.inFlight() == 0) {
                assertTrue(System.nanoTime() < deadline, "the request never reached the server");
                Thread.sleep(5); // the request now waits for the predictor the test holds
            }
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            Thread.sleep(100);
            assertTrue(!closing.isDone(), "close waits for the request in flight");
            held.close();
            HttpResponse<String> r = pending.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            closing.get(30, TimeUnit.SECONDS);
            assertEquals(0, server.inFlight());
        }
    }
}
