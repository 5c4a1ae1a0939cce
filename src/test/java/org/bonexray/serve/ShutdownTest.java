package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: a study queued when close() begins still gets its answer; new ones are refused. */
class ShutdownTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void closeAnswersTheQueuedStudyAndRefusesNewOnes() throws Exception {
        BonexrayServer server = ServeFixtures.serve(ServeFixtures.tinyModel(tmp.resolve("model")),
                ServeConfig.builder().port(0).heatmaps("none", "norm5").queue(4, Duration.ofSeconds(30)).build());
        URI uri = URI.create("http://127.0.0.1:" + server.port() + BonexrayServer.STUDIES);
        CompletableFuture<HttpResponse<String>> pending;
        CompletableFuture<Void> closing;
        try (AutoCloseable hold = server.batcher().hold()) {
            pending = ServeFixtures.HTTP.sendAsync(ServeFixtures.multipart(uri,
                    List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(40, 40, 1))), Map.of()).build(),
                    HttpResponse.BodyHandlers.ofString());
            while (server.batcher().queuedStudies() == 0) {
                Thread.sleep(5); // the study now waits behind the held batcher
            }
            closing = CompletableFuture.runAsync(server::close);
            while (!server.batcher().draining()) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            assertFalse(closing.isDone(), "close waits for the queued study");
        }
        HttpResponse<String> r = pending.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        closing.get(60, TimeUnit.SECONDS);
        assertEquals(0, server.inFlight());
    }
}
