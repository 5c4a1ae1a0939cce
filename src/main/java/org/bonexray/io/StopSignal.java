package org.bonexray.io;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as a request to stop at the next safe point, instead of the JVM's own handling.
 *
 * <p>Why: the JVM answers SIGTERM by running its shutdown hooks while the program's threads go on, and DJL's hook
 * frees libtorch's memory under a training step still running, which crashes the JVM (SIGSEGV, an
 * {@code hs_err_pid} file). Installed, a signal only sets this request; long loops poll it between units of work
 * (a batch, an image, a study) through {@link #checkpoint()}, which throws {@link Stopped} carrying exit code 130
 * (SIGINT) or 143 (SIGTERM), and {@code cli.ExitCodes} returns it once the command has unwound, closing what it
 * opened. Every result is written atomically, so whatever was written stays whole. A second signal while a stop is
 * pending halts at once, without shutdown hooks (nothing native is freed under a running step).
 *
 * <p>Signals are process-wide, so the request is too: {@link #install()} makes a fresh request current (each
 * command run in a test process starts clean), and code deep in a loop reaches it through {@link #current()}
 * rather than through every constructor. {@code sun.misc.Signal} (module jdk.unsupported) because no supported JDK
 * API replaces the JVM's handling of a signal or tells SIGINT from SIGTERM.
 */
public final class StopSignal {
    /** Exit code of a command stopped by SIGINT (128 + 2). */
    public static final int SIGINT_EXIT = 130;
    /** Exit code of a command stopped by SIGTERM (128 + 15). */
    public static final int SIGTERM_EXIT = 143;
    private static volatile StopSignal current = new StopSignal();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode;

    /** A stop was requested: the command unwinds from its safe point and exits with {@link #exitCode()}. */
    public static final class Stopped extends RuntimeException {
        private final int exitCode;

        Stopped(int exitCode) {
            super(exitCode == SIGINT_EXIT ? "interrupted (SIGINT)" : "stopped (SIGTERM)", null, false, false);
            this.exitCode = exitCode;
        }

        /** @return 130 for SIGINT, 143 for SIGTERM */
        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * Routes SIGINT and SIGTERM to a fresh request, now the current one; for long commands, at their start.
     *
     * @return the request
     */
    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        current = signal;
        Signal.handle(new Signal("INT"), s -> signal.onSignal(SIGINT_EXIT));
        Signal.handle(new Signal("TERM"), s -> signal.onSignal(SIGTERM_EXIT));
        return signal;
    }

    /** @return the request installed last (one that is never requested when none was installed) */
    public static StopSignal current() {
        return current;
    }

    /**
     * A safe point: throws when a stop was requested.
     *
     * @throws Stopped with the signal's exit code
     */
    public static void checkpoint() {
        StopSignal signal = current;
        if (signal.requested()) {
            throw new Stopped(signal.exitCode);
        }
    }

    private void onSignal(int code) {
        if (requested()) {
            Runtime.getRuntime().halt(code);
        }
        request(code);
    }

    /** Asks to stop; the first request's exit code is kept. */
    public synchronized void request(int code) {
        if (stopped.getCount() > 0) {
            exitCode = code;
            stopped.countDown();
        }
    }

    /** @return whether a stop was requested */
    public boolean requested() {
        return stopped.getCount() == 0;
    }

    /** @return 130 or 143 once requested, 0 before */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Sleeps, ending early when a stop is requested (or the thread is interrupted).
     *
     * @param duration how long
     * @return true when the whole duration passed, false when told to stop meanwhile
     */
    public boolean await(Duration duration) {
        try {
            return !stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
