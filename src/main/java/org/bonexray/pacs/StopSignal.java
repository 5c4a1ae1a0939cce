package org.bonexray.pacs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bonexray.pacs.dicomweb.Waiter;

/**
 * A request to stop, checked by the watcher at safe points (between studies) and ending its waits at once.
 * Set from a signal handler; the watcher thread is never interrupted, so no file write is ever cut short.
 */
public final class StopSignal implements Waiter {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode;

    /** Asks to stop; the first request's exit code is kept (130 for SIGINT, 143 for SIGTERM). */
    public synchronized void request(int code) {
        if (stopped.getCount() > 0) {
            exitCode = code;
            stopped.countDown();
        }
    }

    public boolean requested() {
        return stopped.getCount() == 0;
    }

    /** The exit code of the request, 0 when none was made. */
    public int exitCode() {
        return exitCode;
    }

    @Override
    public boolean await(Duration duration) {
        try {
            return !stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
