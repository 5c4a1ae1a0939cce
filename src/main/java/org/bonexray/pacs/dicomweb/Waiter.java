package org.bonexray.pacs.dicomweb;

import java.time.Duration;

/**
 * Waits between retries; a watcher's waiter returns early when it is asked to stop, so a stop request never
 * waits out a long back-off (and never interrupts a thread in the middle of writing a file).
 */
@FunctionalInterface
public interface Waiter {
    /** Plain sleeping; interruption ends it like a stop. */
    Waiter SLEEP = d -> {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    };

    /** Waits for {@code duration}; false when told to stop meanwhile. */
    boolean await(Duration duration);
}
