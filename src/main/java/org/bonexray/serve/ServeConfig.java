package org.bonexray.serve;

import java.time.Duration;
import java.util.Objects;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.runtime.Precision;

/**
 * How the web service runs: where it listens, how many predictors it keeps, and the limits it enforces.
 *
 * @param host address to bind (127.0.0.1 unless the operator chooses otherwise)
 * @param port TCP port, 0 for any free port
 * @param workers number of predictors, so the number of studies predicted at once
 * @param acquireWait how long a request waits for a free predictor before it is answered 503
 * @param maxFileBytes largest accepted image upload
 * @param maxTotalBytes largest accepted request body
 * @param maxImages most images in one study
 * @param maxPixels largest decoded image (width * height); bigger headers are refused before decoding
 * @param token bearer token required on the API, null for none
 * @param heatmapCapacity most heatmap overlays kept in memory
 * @param heatmapTtl how long an overlay stays available
 * @param precision arithmetic inside the network
 * @param aggregation how a study's probability follows from its views'
 */
public record ServeConfig(String host, int port, int workers, Duration acquireWait, long maxFileBytes,
                          long maxTotalBytes, int maxImages, long maxPixels, String token,
                          int heatmapCapacity, Duration heatmapTtl, Precision precision,
                          StudyAggregation aggregation) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final long MB = 1024L * 1024;

    /** Validates every field. */
    public ServeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(acquireWait, "acquireWait");
        Objects.requireNonNull(heatmapTtl, "heatmapTtl");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(aggregation, "aggregation");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers must be within 1..64: " + workers);
        }
        if (acquireWait.isNegative()) {
            throw new IllegalArgumentException("acquire wait must not be negative: " + acquireWait);
        }
        if (maxFileBytes < 1 || maxTotalBytes < maxFileBytes || maxFileBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("need 1 <= max file size <= max total size (and under 2 GiB): "
                    + maxFileBytes + ", " + maxTotalBytes);
        }
        if (maxImages < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("image count and pixel limits must be positive: " + maxImages + ", " + maxPixels);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token must not be blank");
        }
        if (heatmapCapacity < 0 || heatmapTtl.isZero() || heatmapTtl.isNegative()) {
            throw new IllegalArgumentException("heatmap capacity must be >= 0 and its lifetime positive");
        }
    }

    /** The defaults: loopback, port 8080, 2 workers, 200 ms wait, 20 MB per file, 100 MB in all, 16 images. */
    public static ServeConfig defaults() {
        return new ServeConfig(LOOPBACK, 8080, 2, Duration.ofMillis(200), 20 * MB, 100 * MB, 16,
                4096L * 4096, null, 256, Duration.ofMinutes(10), Precision.FP32,
                StudyAggregation.MEAN);
    }

    public ServeConfig withPort(int newPort) {
        return new ServeConfig(host, newPort, workers, acquireWait, maxFileBytes, maxTotalBytes, maxImages, maxPixels,
                token, heatmapCapacity, heatmapTtl, precision, aggregation);
    }

    public ServeConfig withWorkers(int newWorkers) {
        return new ServeConfig(host, port, newWorkers, acquireWait, maxFileBytes, maxTotalBytes, maxImages, maxPixels,
                token, heatmapCapacity, heatmapTtl, precision, aggregation);
    }

    public ServeConfig withToken(String newToken) {
        return new ServeConfig(host, port, workers, acquireWait, maxFileBytes, maxTotalBytes, maxImages, maxPixels,
                newToken, heatmapCapacity, heatmapTtl, precision, aggregation);
    }

    public ServeConfig withAcquireWait(Duration wait) {
        return new ServeConfig(host, port, workers, wait, maxFileBytes, maxTotalBytes, maxImages, maxPixels,
                token, heatmapCapacity, heatmapTtl, precision, aggregation);
    }

    public ServeConfig withLimits(long newMaxFileBytes, long newMaxTotalBytes, int newMaxImages) {
        return new ServeConfig(host, port, workers, acquireWait, newMaxFileBytes, newMaxTotalBytes, newMaxImages,
                maxPixels, token, heatmapCapacity, heatmapTtl, precision, aggregation);
    }

    /** Whether the bind address is a loopback one (anything else exposes the service to the network). */
    public boolean loopbackOnly() {
        return host.equals(LOOPBACK) || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
}
