package org.bonexray.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.serve.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The serve workload with a TINY model and a handful of small studies: both settings measured, the table whole. */
class ServeBenchTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void measuresBatchingOnAndOffAndTabulatesThem() throws Exception {
        Path data = tmp.resolve("studies");
        for (int s = 0; s < 3; s++) {
            Path study = Files.createDirectories(data.resolve("patient0000" + s).resolve("study1_negative"));
            for (int v = 0; v <= s; v++) {
                Files.write(study.resolve("image" + v + ".png"), ServeFixtures.png(48, 48, 10L * s + v));
            }
        }
        ServeBench.Setup setup = new ServeBench.Setup(ServeFixtures.tinyModel(tmp.resolve("model")),
                DenseNetVariant.TINY, 64, data, 1, 6, 2, 3, 2, 4);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<ServeBench.Row> rows = ServeBench.run(setup, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(List.of(4, 1), rows.stream().map(ServeBench.Row::maxBatch).toList(), "on first in round 1");
        for (ServeBench.Row r : rows) {
            assertEquals(Map.of(200, 6L), r.report().steady().statuses());
            assertEquals(Map.of(200, 3L), r.report().burst().statuses());
            assertTrue(r.report().steady().studiesPerSecond() > 0);
        }
        String table = ServeBench.markdown(rows);
        assertEquals(2 + rows.size(), table.lines().filter(l -> l.startsWith("|")).count(), table);
        assertTrue(table.contains("Throughput ratio batching on / off (per round): steady ["), table);
        assertFalse(table.contains("NaN"), table);
        double ratio = ServeBench.json(setup, rows).path("steady_ratio_median").asDouble();
        assertEquals(rows.get(0).report().steady().studiesPerSecond()
                / rows.get(1).report().steady().studiesPerSecond(), ratio, 1e-9);
    }
}
