package org.bonexray.pacs.dicomweb;

import java.time.Duration;

/**
 * How often and how patiently a request to the PACS is tried again after a network failure or a server-side
 * error (5xx, 408, 429): the delay doubles from {@code initialDelay} up to {@code maxDelay}.
 *
 * @param attempts total tries, at least 1
 * @param initialDelay the wait after the first failure
 * @param maxDelay the longest wait between two tries
 */
public record RetryPolicy(int attempts, Duration initialDelay, Duration maxDelay) {
    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("retry attempts must be at least 1, got " + attempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= initial <= max");
        }
    }

    /** The wait after failed try number {@code failures} (1 = the first failure). */
    public Duration delayAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        long millis = initialDelay.toMillis() << doublings;
        return millis < 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
    }
}
