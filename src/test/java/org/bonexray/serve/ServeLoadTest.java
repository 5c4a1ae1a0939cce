package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bonexray.bench.ServeLoad;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.io.Json;
import org.bonexray.model.DenseNetVariant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service under a hospital-like load with the real network (tagged "slow": {@code mvn -B test -Pslow
 * -Dtest=ServeLoadTest}): an untrained DenseNet-169 at 224 px (load and latency do not depend on the weights), the
 * synthetic sample's radiograph-like studies, 8 closed-loop clients then a burst of 32 at once. No answer but 200 and
 * the queue's deliberate 503s, p99 within the deadline, the resident set flat over the second half. System properties:
 * {@code load.requests} (steady studies, default 160), {@code load.maxBatch} (default 8; 1 turns batching off),
 * {@code load.heatmaps} (default none).
 */
@Tag("slow")
class ServeLoadTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(3600)
    void densenet169AtConcurrency8AndABurstOf32() throws Exception {
        SyntheticMuraGenerator.generate(tmp.resolve("sample"), new SampleSpec(42, 1, 4, 200, 512, 0.45), null);
        List<List<ServeLoad.Part>> studies = ServeLoad.studies(SyntheticMuraGenerator.datasetDir(tmp.resolve("sample"))
                .resolve("valid"), 28);
        Path model = ServeLoad.saveUntrained(tmp.resolve("model"), DenseNetVariant.DENSENET169, 224);
        int maxBatch = Integer.getInteger("load.maxBatch", 8);
        ServeConfig config = ServeConfig.builder().port(0).heatmaps(System.getProperty("load.heatmaps", "none"), "norm5")
                .batching(maxBatch, Duration.ofMillis(10)).build();
        try (BonexrayServer server = ServeFixtures.serve(model, config)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + BonexrayServer.STUDIES);
            ServeLoad.run(new ServeLoad.Settings(uri, 2, 16, 0, -1, null), studies); // warm-up: JIT, engine, shapes
            ServeLoad.Report report = ServeLoad.run(new ServeLoad.Settings(uri, 8, Integer.getInteger("load.requests", 160),
                    32, ProcessHandle.current().pid(), null), studies);
            String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("max_batch", maxBatch,
                    "report", report, "rss_growth_second_half_mib", report.rssGrowthSecondHalfMib()));
            System.out.println(text);
            Files.writeString(Path.of("target", "serve-load-report-b" + maxBatch + ".json"), text);
            assertEquals(0, report.steady().failures(), text);
            assertEquals(0, report.burst().failures(), text);
            double deadlineMs = config.queue().timeout().toMillis();
            assertTrue(report.steady().p99Ms() < deadlineMs && report.burst().maxMs() < deadlineMs + 5_000, text);
            assertTrue(report.rssGrowthSecondHalfMib() < 256, "RSS grew in the second half: " + text);
        }
    }
}
