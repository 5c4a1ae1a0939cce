package org.bonexray.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bonexray.io.Json;
import org.bonexray.io.ProcessMemory;

/**
 * One workload's measurement, printed as one JSON line (for scripts) and one readable line (for people).
 *
 * @param workload infer, train, memory or data
 * @param model the network's name (densenet169, tiny) or the pipeline's description
 * @param size input side in pixels
 * @param batch images per iteration (1 for the data pipeline, which has no batches)
 * @param layout input memory layout (nchw, channels_last) or "-" for the data pipeline
 * @param precision fp32, fp16, bf16 or "-"
 * @param threads intra-op threads of the engine, or worker threads of the data pipeline
 * @param warmup untimed iterations before the timed ones
 * @param timings the timed iterations
 * @param imagesPerSecond images at the median iteration's speed
 * @param memory the process's memory after the timed iterations
 * @param details workload-specific figures (loss, probability differences, RSS samples)
 */
public record BenchResult(String workload, String model, int size, int batch, String layout, String precision,
                          int threads, int warmup, Timings timings, double imagesPerSecond, ProcessMemory memory,
                          Map<String, Object> details) {
    /** Copies the details. */
    public BenchResult {
        details = Map.copyOf(details);
    }

    /** @return the result as one line of JSON with stable, flat field names */
    public String jsonLine() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("engine", "bonexray");
        fields.put("workload", workload);
        fields.put("model", model);
        fields.put("size", size);
        fields.put("batch", batch);
        fields.put("layout", layout);
        fields.put("precision", precision);
        fields.put("threads", threads);
        fields.put("warmup", warmup);
        fields.put("iterations", timings.seconds().size());
        fields.put("images_per_s", imagesPerSecond);
        fields.put("median_s", timings.median());
        fields.put("min_s", timings.min());
        fields.put("seconds", timings.seconds());
        fields.put("rss_mib", memory.residentMib());
        fields.put("peak_rss_mib", memory.peakMib());
        fields.put("details", new java.util.TreeMap<>(details));
        try {
            return Json.MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a bench result", e);
        }
    }

    /** @return a short human-readable summary */
    public String readable() {
        return String.format(Locale.ROOT, "%s %s %dpx batch %d %s %s, %d threads: %.2f img/s (median %.3f s over %d), "
                        + "RSS %.0f MiB, peak %.0f MiB",
                workload, model, size, batch, layout, precision, threads, imagesPerSecond, timings.median(),
                timings.seconds().size(), memory.residentMib(), memory.peakMib());
    }
}
