package org.bonexray.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;

/**
 * The service's metrics, exposed at {@code GET /metrics} in Prometheus' text format through Prometheus' own Java
 * client: requests by route and status, refusals by reason, queue and batch sizes, and latency histograms of a
 * study's whole request and of each stage (receive, decode, preprocess, queue, forward, heatmap, render).
 */
final class ServeMetrics {
    /** The stages a study goes through, each with its own latency histogram. */
    enum Stage { RECEIVE, DECODE, PREPROCESS, QUEUE, FORWARD, HEATMAP, RENDER }

    private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        25, 60};
    private static final double[] VIEWS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests = Counter.builder().name("bonexray_http_requests")
            .help("HTTP requests answered, by route and status").labelNames("route", "status").register(registry);
    private final Counter refused = Counter.builder().name("bonexray_studies_refused")
            .help("Studies answered 503 or 504 by the queue, by reason").labelNames("reason").register(registry);
    private final Counter loads = Counter.builder().name("bonexray_model_loads")
            .help("Model loads (start, admin reload, folder watch) by outcome").labelNames("trigger", "outcome")
            .register(registry);
    private final Histogram study = Histogram.builder().name("bonexray_study_seconds")
            .help("Whole POST /api/v1/studies requests answered 200, arrival to answer").classicOnly()
            .classicUpperBounds(SECONDS).register(registry);
    private final Histogram stages = Histogram.builder().name("bonexray_stage_seconds")
            .help("Time in each stage: receive, decode, preprocess (request threads, per study), queue (per study), "
                    + "forward and heatmap (batcher, per batch), render (overlay PNGs, per study)")
            .labelNames("stage").classicOnly().classicUpperBounds(SECONDS).register(registry);
    private final Histogram batches = Histogram.builder().name("bonexray_batch_views")
            .help("Views per forward pass of the batcher").classicOnly().classicUpperBounds(VIEWS).register(registry);

    void request(String route, int status) {
        requests.labelValues(route, Integer.toString(status)).inc();
    }

    void refused(String reason) {
        refused.labelValues(reason).inc();
    }

    void reloaded(String trigger, String outcome) {
        loads.labelValues(trigger, outcome).inc();
    }

    void study(long nanos) {
        study.observe(nanos / 1e9);
    }

    void stage(Stage stage, long nanos) {
        stages.labelValues(stage.name().toLowerCase(java.util.Locale.ROOT)).observe(nanos / 1e9);
    }

    void batch(int views) {
        batches.observe(views);
    }

    /** Registers a gauge read at every scrape. */
    void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
    }

    String contentType() {
        return writer.getContentType();
    }

    /** @return every metric in Prometheus' text format */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
