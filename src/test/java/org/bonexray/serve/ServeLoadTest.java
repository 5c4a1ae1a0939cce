package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load run (not in the default run; tagged "slow" too so the default build skips it): N study
 * requests at a fixed concurrency on loopback against a TINY model, reporting latency percentiles,
 * throughput, failures and the process RSS before and after. Run with
 * {@code mvn test -Dtest=ServeLoadTest -DexcludedGroups=none -Dload.requests=2000}.
 */
@Tag("load")
@Tag("slow")
class ServeLoadTest {
    @TempDir
    Path tmp;

    @Test
    void loopbackLoad() throws Exception {
        int requests = Integer.getInteger("load.requests", 2000);
        int concurrency = Integer.getInteger("load.concurrency", 8);
        int workers = Integer.getInteger("load.workers", 2);
        try (LoadedModel model = ModelArtifact.load(ServeFixtures.tinyModel(tmp.resolve("model")));
             BonexrayServer server = BonexrayServer.start(model, ServeConfig.defaults().withPort(0).withWorkers(workers),
                     ExplainHeatmaps.forChoice(System.getProperty("load.heatmaps", "auto")))) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + BonexrayServer.STUDIES);
            List<ServeFixtures.Part> study = List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(256, 256, 1)),
                    new ServeFixtures.Part("b.png", ServeFixtures.png(256, 200, 2)));
            HttpRequest request = ServeFixtures.multipart(uri, study, Map.of("body_part", "WRIST")).build();
            for (int i = 0; i < 50; i++) {
                ServeFixtures.send(request); // warm-up: JIT, engine, connection pool
            }
            System.gc();
            long rssBefore = rssKb();
            long heapBefore = heapAfterGcMb();
            long[] rssHalf = new long[1];
            long[] heapHalf = new long[1];
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger busy = new AtomicInteger();
            long start = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                done.add(clients.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = ServeFixtures.send(request);
                        if (r.statusCode() == 503) {
                            busy.incrementAndGet();
                        } else if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - t0);
                    return null;
                }));
            }
            for (int i = 0; i < done.size(); i++) {
                done.get(i).get();
                if (i == requests / 2) {
                    rssHalf[0] = rssKb(); // heap and allocator pools have grown to their working size by now
                    heapHalf[0] = heapAfterGcMb();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            clients.shutdown();
            long heapAfter = heapAfterGcMb();
            long rssAfter = rssKb();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            String report = String.format(Locale.ROOT, "bonexray serve load test, %s%n"
                    + "requests=%d concurrency=%d workers=%d views/request=2 (256x256, 256x200 PNG) model=TINY (64 px) heatmaps=%s%n"
                    + "p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%nthroughput=%.1f requests/s (%.1f views/s) over %.1f s%n"
                    + "failures=%d busy(503)=%d%nRSS after warm-up=%d MB, half-way=%d MB, end=%d MB%nJava heap used after GC: after warm-up=%d MB, half-way=%d MB, end=%d MB (committed at end %d MB)%n",
                    Instant.now(), requests, concurrency, workers, System.getProperty("load.heatmaps", "auto"), ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99),
                    sorted.get(sorted.size() - 1) / 1e6, requests / seconds, 2 * requests / seconds, seconds,
                    failures.get(), busy.get(), rssBefore / 1024, rssHalf[0] / 1024, rssAfter / 1024,
                    heapBefore, heapHalf[0], heapAfter, Runtime.getRuntime().totalMemory() / (1024 * 1024));
            System.out.println(report);
            Files.writeString(Path.of("target", "serve-load-report.txt"), report, StandardCharsets.UTF_8);
            assertEquals(requests, sorted.size());
            assertEquals(0, failures.get(), report);
            // flat in the second half: a leak of 50 kB per request would add 50 MB over 1,000 requests. The
            // heap after a full GC is the Java-side measure; RSS also counts heap capacity the JVM chose to keep
            // and native allocator pools, so it gets a looser bound.
            assertTrue(heapAfter < heapHalf[0] + 48, "Java heap grew in the second half: " + report);
            assertTrue(rssAfter < rssHalf[0] + 256 * 1024, "RSS grew by more than 256 MB in the second half: " + report);
        }
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
    }

    private static long heapAfterGcMb() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    }

    /** Resident set size of this process, from /proc (Linux). */
    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
