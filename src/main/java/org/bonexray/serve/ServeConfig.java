package org.bonexray.serve;

import ai.djl.Device;
import java.time.Duration;
import java.util.Objects;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.runtime.Precision;

/**
 * How the web service runs: where it listens, how it queues and batches studies, the limits it enforces, its model
 * and heatmaps. Build one with {@link #builder()}; every field is checked when it is built.
 *
 * @param host address to bind (127.0.0.1 unless the operator chooses otherwise)
 * @param port TCP port, 0 for any free port
 * @param queue the queue and the batcher
 * @param limits what one request may send
 * @param timeouts the connection's timeouts
 * @param token bearer token required on the API, null for none
 * @param adminToken bearer token of the admin endpoints ({@code POST /admin/reload}), null to turn them off
 * @param heatmaps heatmap method ({@code none}, {@code auto}, {@code cam}, {@code gradcam}, {@code layercam})
 * @param heatmapLayer the features layer of the heatmaps
 * @param heatmapCapacity most heatmap overlays kept in memory
 * @param heatmapTtl how long an overlay stays available
 * @param precision arithmetic inside the network
 * @param aggregation how a study's probability follows from its views'
 * @param watchInterval how often the model folder is checked for a new model, zero for never
 * @param device where the network runs (from {@code --device}, resolved)
 * @param tta test-time views averaged into each view's probability
 */
public record ServeConfig(String host, int port, Queue queue, Limits limits, Timeouts timeouts, String token,
                          String adminToken, String heatmaps, String heatmapLayer, int heatmapCapacity,
                          Duration heatmapTtl, Precision precision, StudyAggregation aggregation,
                          Duration watchInterval, Device device, TestTimeAugmentation tta) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final long MB = 1024L * 1024;

    /**
     * The queue in front of the network and how the batcher drains it.
     *
     * @param depth most studies admitted at once (being received, decoded, waiting or predicted); more get 503
     * @param bytes most request bytes admitted at once, counted from each request's declared length before its
     *     body is read (a body of unknown length counts as the largest allowed)
     * @param timeout how long a study may take from arrival to answer; one that cannot finish in time gets 503 at
     *     admission, one that did not finish gets 504
     * @param maxBatch most views in one forward pass (a study with more views goes through alone)
     * @param maxDelay how long the batcher waits for more studies once it holds one
     * @param workers batcher threads, each with its own predictor
     */
    public record Queue(int depth, long bytes, Duration timeout, int maxBatch, Duration maxDelay, int workers) {
        public Queue {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(maxDelay, "maxDelay");
            require(depth >= 1 && depth <= 1024, "the queue depth must be within 1..1024: " + depth);
            require(bytes >= MB, "the queue's byte budget must be at least 1 MB: " + bytes);
            require(!timeout.isNegative() && !timeout.isZero(), "the timeout must be positive: " + timeout);
            require(maxBatch >= 1 && maxBatch <= 256, "the largest batch must be within 1..256 views: " + maxBatch);
            require(!maxDelay.isNegative() && maxDelay.compareTo(Duration.ofSeconds(10)) <= 0,
                    "the batching delay must be within 0..10 s: " + maxDelay);
            require(workers >= 1 && workers <= 16, "workers must be within 1..16: " + workers);
        }
    }

    /**
     * What one request may send.
     *
     * @param maxFileBytes largest accepted image upload
     * @param maxTotalBytes largest accepted request body
     * @param maxImages most images in one study
     * @param maxPixels largest decoded image (width * height); bigger headers are refused before decoding
     */
    public record Limits(long maxFileBytes, long maxTotalBytes, int maxImages, long maxPixels) {
        public Limits {
            require(maxFileBytes >= 1 && maxTotalBytes >= maxFileBytes && maxFileBytes <= Integer.MAX_VALUE - 8,
                    "need 1 <= max file size <= max total size (and under 2 GiB): " + maxFileBytes + ", " + maxTotalBytes);
            require(maxImages >= 1 && maxPixels >= 1,
                    "image count and pixel limits must be positive: " + maxImages + ", " + maxPixels);
        }
    }

    /**
     * The connection's timeouts.
     *
     * @param idle a connection that sends nothing this long is closed (a body that stops half-way included)
     * @param header a connection gets this long to send a whole request head, from its opening or from its previous
     *     answer (slow header trickles are closed however often they send a byte)
     */
    public record Timeouts(Duration idle, Duration header) {
        public Timeouts {
            Objects.requireNonNull(idle, "idle");
            Objects.requireNonNull(header, "header");
            require(idle.toMillis() >= 100 && header.toMillis() >= 100, "connection timeouts must be at least 100 ms");
        }
    }

    /** Validates every field. */
    public ServeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(heatmaps, "heatmaps");
        Objects.requireNonNull(heatmapLayer, "heatmapLayer");
        Objects.requireNonNull(heatmapTtl, "heatmapTtl");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(watchInterval, "watchInterval");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(tta, "tta");
        require(port >= 0 && port <= 65535, "port must be within 0..65535: " + port);
        require(token == null || !token.isBlank(), "the token must not be blank");
        require(adminToken == null || !adminToken.isBlank(), "the admin token must not be blank");
        require(heatmapCapacity >= 0 && !heatmapTtl.isZero() && !heatmapTtl.isNegative(),
                "heatmap capacity must be >= 0 and its lifetime positive");
        require(!watchInterval.isNegative(), "the watch interval must not be negative: " + watchInterval);
        require(queue.bytes() >= limits.maxTotalBytes(), "the queue's byte budget (" + queue.bytes()
                + ") must hold at least one request of the largest size (" + limits.maxTotalBytes() + ")");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults: see {@link Builder} */
    public static ServeConfig defaults() {
        return builder().build();
    }

    /** @return a builder starting from this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.queue = queue;
        b.limits = limits;
        b.timeouts = timeouts;
        b.token = token;
        b.adminToken = adminToken;
        b.heatmaps = heatmaps;
        b.heatmapLayer = heatmapLayer;
        b.heatmapCapacity = heatmapCapacity;
        b.heatmapTtl = heatmapTtl;
        b.precision = precision;
        b.device = device;
        b.aggregation = aggregation;
        b.watchInterval = watchInterval;
        b.tta = tta;
        return b;
    }

    /** Whether the bind address is a loopback one (anything else exposes the service to the network). */
    public boolean loopbackOnly() {
        return host.equals(LOOPBACK) || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    /**
     * Builds a {@link ServeConfig}. Defaults: loopback, port 8080; a queue of 32 studies and 1 GB within a 30 s
     * deadline, batches of up to 8 views gathered for up to 10 ms, one batcher; 20 MB per file, 100 MB per request,
     * 16 images, 4096 x 4096 pixels; idle timeout 30 s, 10 s for a request head; no tokens; heatmaps auto on norm5,
     * 256 kept for 10 minutes; fp32, mean; no folder watch.
     */
    public static final class Builder {
        private String host = LOOPBACK;
        private int port = 8080;
        private Queue queue = new Queue(32, 1024 * MB, Duration.ofSeconds(30), 8, Duration.ofMillis(10), 1);
        private Limits limits = new Limits(20 * MB, 100 * MB, 16, 4096L * 4096);
        private Timeouts timeouts = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(10));
        private String token;
        private String adminToken;
        private String heatmaps = "auto";
        private String heatmapLayer = "norm5";
        private int heatmapCapacity = 256;
        private Duration heatmapTtl = Duration.ofMinutes(10);
        private Precision precision = Precision.FP32;
        private StudyAggregation aggregation = StudyAggregation.MEAN;
        private Duration watchInterval = Duration.ZERO;
        private Device device = Device.cpu();
        private TestTimeAugmentation tta = TestTimeAugmentation.NONE;

        private Builder() {
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder queue(Queue value) {
            queue = value;
            return this;
        }

        /** The queue's depth and deadline, keeping its other settings. */
        public Builder queue(int depth, Duration timeout) {
            queue = new Queue(depth, queue.bytes(), timeout, queue.maxBatch(), queue.maxDelay(), queue.workers());
            return this;
        }

        /** The batcher's largest batch and delay, keeping the queue's other settings. */
        public Builder batching(int maxBatch, Duration maxDelay) {
            queue = new Queue(queue.depth(), queue.bytes(), queue.timeout(), maxBatch, maxDelay, queue.workers());
            return this;
        }

        public Builder limits(Limits value) {
            limits = value;
            return this;
        }

        /** Per-request limits, keeping the pixel limit. */
        public Builder limits(long maxFileBytes, long maxTotalBytes, int maxImages) {
            limits = new Limits(maxFileBytes, maxTotalBytes, maxImages, limits.maxPixels());
            return this;
        }

        public Builder timeouts(Timeouts value) {
            timeouts = value;
            return this;
        }

        public Builder token(String value) {
            token = value;
            return this;
        }

        public Builder adminToken(String value) {
            adminToken = value;
            return this;
        }

        public Builder heatmaps(String method, String layer) {
            heatmaps = method;
            heatmapLayer = layer;
            return this;
        }

        public Builder heatmapStore(int capacity, Duration ttl) {
            heatmapCapacity = capacity;
            heatmapTtl = ttl;
            return this;
        }

        public Builder precision(Precision value) {
            precision = value;
            return this;
        }

        public Builder aggregation(StudyAggregation value) {
            aggregation = value;
            return this;
        }

        public Builder watchInterval(Duration value) {
            watchInterval = value;
            return this;
        }

        public Builder device(Device value) {
            device = value;
            return this;
        }

        /** Test-time augmentation (default none). */
        public Builder tta(TestTimeAugmentation value) {
            tta = value;
            return this;
        }

        /** @return the configuration, checked */
        public ServeConfig build() {
            return new ServeConfig(host, port, queue, limits, timeouts, token, adminToken, heatmaps, heatmapLayer,
                    heatmapCapacity, heatmapTtl, precision, aggregation, watchInterval, device, tta);
        }
    }
}
