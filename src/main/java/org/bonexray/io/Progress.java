package org.bonexray.io;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress display: done/total, percentage, rate and time left. On a terminal it redraws in
 * place; elsewhere (CI logs, pipes) it prints a line every few seconds so logs stay readable.
 */
public final class Progress {
    private static final long QUIET_INTERVAL_NANOS = 5_000_000_000L;
    private static final long TTY_INTERVAL_NANOS = 200_000_000L;

    private final PrintStream out;
    private final String label;
    private final String unit;
    private final long total;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long done;
    private long printedDone = -1;
    private String suffix = "";

    public Progress(PrintStream out, String label, long total, String unit) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 0);
        this.unit = unit;
        this.interactive = System.console() != null && !"true".equals(System.getenv("CI"));
    }

    /** Adds {@code n} finished units and redraws when it is time to. */
    public synchronized void step(long n) {
        done += n;
        long now = System.nanoTime();
        long interval = interactive ? TTY_INTERVAL_NANOS : QUIET_INTERVAL_NANOS;
        if (now - lastPrint >= interval || done >= total) {
            lastPrint = now;
            print(false);
        }
    }

    /** Text shown after the counters, for example the running loss. */
    public synchronized void setSuffix(String suffix) {
        this.suffix = suffix == null ? "" : suffix;
    }

    /** Prints the final line (unless the last line printed already shows the final count). */
    public synchronized void finish() {
        if (printedDone != done) {
            print(true);
        } else if (interactive) {
            out.println();
        }
    }

    public synchronized double ratePerSecond() {
        double seconds = (System.nanoTime() - start) / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }

    public synchronized Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The current line, without terminal control characters. */
    public synchronized String line() {
        double rate = ratePerSecond();
        String eta = rate > 0 && total > done ? format(Duration.ofMillis((long) ((total - done) / rate * 1000))) : "--";
        int pct = total > 0 ? (int) (100 * done / total) : 100;
        return String.format(Locale.ROOT, "%s %s %d/%d (%d%%) %.1f %s/s, %s elapsed, %s left%s",
                label, bar(pct), done, total, pct, rate, unit, format(elapsed()), eta,
                suffix.isEmpty() ? "" : ", " + suffix);
    }

    private void print(boolean last) {
        printedDone = done;
        if (interactive) {
            out.print("\r" + line() + "\u001b[K" + (last ? System.lineSeparator() : ""));
        } else {
            out.println(line());
        }
        out.flush();
    }

    private static String bar(int pct) {
        int width = 20;
        int filled = Math.min(width, pct * width / 100);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /** Formats a duration as {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
