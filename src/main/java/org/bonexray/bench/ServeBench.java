package org.bonexray.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.io.StopSignal;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.serve.BonexrayServer;
import org.bonexray.serve.ServeConfig;

/**
 * The web service under load with dynamic batching on and off: for each round it starts the real service on
 * loopback twice (largest batch {@code maxBatch}, then 1, the order alternating between rounds), warms each up, and
 * runs {@link ServeLoad}'s steady phase and burst against it from this process. The table gives throughput, latency
 * percentiles, answers by status and the resident set (this whole process: service and clients) over the second half
 * of the steady phase; the summary gives the ratio of batching on to off per round.
 */
public final class ServeBench {
    /** Studies read from a folder at most (they are sent in turn). */
    private static final int MAX_STUDIES = 28;

    private ServeBench() {
    }

    /**
     * What to run.
     *
     * @param modelDir a model folder to serve, or null for an untrained {@code variant} at {@code size} px
     * @param variant the untrained network's variant
     * @param size the untrained network's input side
     * @param data a folder of studies (every folder of radiographs is one), or null for the synthetic sample
     * @param rounds rounds, each measuring batching on and off
     * @param requests studies of each steady phase
     * @param concurrency closed-loop clients of the steady phase
     * @param burst studies sent at once after it
     * @param warmupStudies studies sent (at the steady concurrency) before each measurement
     * @param maxBatch the largest batch with batching on
     */
    public record Setup(Path modelDir, DenseNetVariant variant, int size, Path data, int rounds, int requests,
                        int concurrency, int burst, int warmupStudies, int maxBatch) {
    }

    /**
     * One measurement.
     *
     * @param round the round, from 1
     * @param maxBatch the service's largest batch (1: batching off)
     * @param report what the load client saw
     */
    public record Row(int round, int maxBatch, ServeLoad.Report report) {
        /** @return the resident set at the start of the steady phase's second half, MiB (NaN without samples) */
        public double rssSecondHalfStartMib() {
            List<Double> rss = report.rssMib();
            return rss.isEmpty() ? Double.NaN : rss.get(rss.size() / 2);
        }

        /** @return the resident set at the end of the steady phase, MiB (NaN without samples) */
        public double rssEndMib() {
            List<Double> rss = report.rssMib();
            return rss.isEmpty() ? Double.NaN : rss.get(rss.size() - 1);
        }
    }

    /**
     * Runs the rounds; progress lines go to {@code log}.
     *
     * @return the measurements in the order they ran
     */
    public static List<Row> run(Setup setup, PrintStream log) {
        Path scratch = scratch();
        try {
            List<List<ServeLoad.Part>> studies = studies(setup.data(), scratch, log);
            Path model = setup.modelDir();
            if (model == null) {
                log.println("bench: serving an untrained " + setup.variant().name().toLowerCase(Locale.ROOT) + " at "
                        + setup.size() + " px (He initialisation, seed 42)");
                model = ServeLoad.saveUntrained(scratch.resolve("model"), setup.variant(), setup.size());
            }
            List<Row> rows = new ArrayList<>();
            for (int round = 1; round <= setup.rounds(); round++) {
                boolean onFirst = round % 2 == 1;
                for (int maxBatch : onFirst ? new int[] {setup.maxBatch(), 1} : new int[] {1, setup.maxBatch()}) {
                    StopSignal.checkpoint();
                    log.println("bench: round " + round + "/" + setup.rounds() + ", largest batch " + maxBatch);
                    rows.add(new Row(round, maxBatch, measure(setup, model, maxBatch, studies)));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            try {
                AtomicFiles.deleteRecursively(scratch);
            } catch (IOException e) {
                log.println("bench: could not delete " + scratch + ": " + e.getMessage());
            }
        }
    }

    private static ServeLoad.Report measure(Setup setup, Path model, int maxBatch, List<List<ServeLoad.Part>> studies)
            throws InterruptedException {
        ServeConfig config = ServeConfig.builder().port(0).heatmaps("none", "norm5")
                .batching(maxBatch, Duration.ofMillis(10)).build();
        try (BonexrayServer server = BonexrayServer.start(model, config, line -> { })) {
            server.awaitModel(Duration.ofMinutes(10));
            URI uri = URI.create(server.url()).resolve("api/v1/studies");
            ServeLoad.run(new ServeLoad.Settings(uri, setup.concurrency(), setup.warmupStudies(), 0, -1, null), studies);
            return ServeLoad.run(new ServeLoad.Settings(uri, setup.concurrency(), setup.requests(), setup.burst(),
                    ProcessHandle.current().pid(), null), studies);
        }
    }

    private static List<List<ServeLoad.Part>> studies(Path data, Path scratch, PrintStream log) throws IOException {
        if (data != null) {
            return ServeLoad.studies(data, MAX_STUDIES);
        }
        log.println("bench: sending the synthetic sample's validation studies (seed 42, 4 per body part)");
        SyntheticMuraGenerator.generate(scratch.resolve("sample"), new SampleSpec(SampleSpec.DEFAULT_SEED, 1, 4,
                SampleSpec.DEFAULT_MIN_SIDE, SampleSpec.DEFAULT_MAX_SIDE, SampleSpec.DEFAULT_ABNORMAL_FRACTION), null);
        return ServeLoad.studies(SyntheticMuraGenerator.datasetDir(scratch.resolve("sample")).resolve("valid"),
                MAX_STUDIES);
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("bonexray-serve-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder: " + e.getMessage(), e);
        }
    }

    /** The rows as a Markdown table, then the on/off ratios per round with their median and spread. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| round | largest batch | steady studies/s | steady p50 / p95 / p99 ms | steady statuses "
                + "| burst studies/s | burst p50 / p95 / p99 ms | burst statuses | RSS MiB 2nd half start -> end |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            ServeLoad.Phase s = r.report().steady();
            ServeLoad.Phase u = r.report().burst();
            b.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %s | %s | %s | %s | %s | %s -> %s |%n",
                    r.round(), r.maxBatch(), s.studiesPerSecond(), latencies(s), statuses(s),
                    u == null ? "-" : String.format(Locale.ROOT, "%.2f", u.studiesPerSecond()),
                    u == null ? "-" : latencies(u), u == null ? "-" : statuses(u),
                    mib(r.rssSecondHalfStartMib()), mib(r.rssEndMib())));
        }
        Ratios steady = ratios(rows, false);
        Ratios burst = ratios(rows, true);
        b.append(String.format(Locale.ROOT, "%nThroughput ratio batching on / off (per round): steady %s (median %.2f, "
                + "range %.2f-%.2f); burst %s (median %.2f, range %.2f-%.2f)%n", steady.each(), steady.median(),
                steady.min(), steady.max(), burst.each(), burst.median(), burst.min(), burst.max()));
        return b.toString();
    }

    private static String mib(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String latencies(ServeLoad.Phase p) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", p.p50Ms(), p.p95Ms(), p.p99Ms());
    }

    private static String statuses(ServeLoad.Phase p) {
        StringBuilder b = new StringBuilder();
        p.statuses().forEach((status, n) -> b.append(b.length() == 0 ? "" : ", ").append(status).append(": ").append(n));
        if (p.broken() > 0) {
            b.append(b.length() == 0 ? "" : ", ").append("broken: ").append(p.broken());
        }
        return b.toString();
    }

    /** Per-round throughput ratios of batching on to off, with their median and range. */
    record Ratios(List<Double> values) {
        String each() {
            return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
        }

        double median() {
            List<Double> s = values.stream().sorted().toList();
            int n = s.size();
            return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    static Ratios ratios(List<Row> rows, boolean burst) {
        List<Double> out = new ArrayList<>();
        for (Row on : rows) {
            if (on.maxBatch() == 1) {
                continue;
            }
            for (Row off : rows) {
                if (off.round() == on.round() && off.maxBatch() == 1) {
                    out.add(rate(on, burst) / rate(off, burst));
                }
            }
        }
        return new Ratios(out);
    }

    private static double rate(Row r, boolean burst) {
        ServeLoad.Phase p = burst ? r.report().burst() : r.report().steady();
        return p == null ? Double.NaN : p.studiesPerSecond();
    }

    /** The rows as one JSON document (the raw reports included). */
    public static ObjectNode json(Setup setup, List<Row> rows) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("workload", "serve");
        out.set("setup", Json.MAPPER.valueToTree(setup));
        ArrayNode list = out.putArray("rows");
        for (Row r : rows) {
            list.addObject().put("round", r.round()).put("max_batch", r.maxBatch())
                    .put("rss_second_half_start_mib", r.rssSecondHalfStartMib()).put("rss_end_mib", r.rssEndMib())
                    .set("report", Json.MAPPER.valueToTree(r.report()));
        }
        out.put("steady_ratio_median", ratios(rows, false).median());
        out.put("burst_ratio_median", ratios(rows, true).median());
        return out;
    }
}
