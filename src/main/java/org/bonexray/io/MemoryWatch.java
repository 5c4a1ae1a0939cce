package org.bonexray.io;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Warns, at most once until {@link #rearm()}, when the available memory falls below a tenth of the total (the
 * machine's, or a container's limit: {@link SystemMemory}).
 *
 * <p>The kernel's out-of-memory killer stops a process with SIGKILL, which leaves no message of the process's own:
 * a user who saw the run end with "Killed" learns here, beforehand, what took the memory and what to change.
 */
public final class MemoryWatch {
    /** Below this share of MemTotal still available, the watch warns. */
    static final double LOW_SHARE = 0.10;

    private final PrintStream out;
    private final Supplier<Optional<SystemMemory>> source;
    private final String advice;
    private boolean warned;

    /**
     * @param out where the warning goes
     * @param advice what the user can change, appended to the warning
     */
    public MemoryWatch(PrintStream out, String advice) {
        this(out, advice, SystemMemory::now);
    }

    /** A watch over any source of figures: tests give it their own. */
    MemoryWatch(PrintStream out, String advice, Supplier<Optional<SystemMemory>> source) {
        this.out = Objects.requireNonNull(out, "out");
        this.advice = Objects.requireNonNull(advice, "advice");
        this.source = source;
    }

    /** Reads the figures and warns if they are low and this watch has not warned since its last rearm. */
    public void check() {
        if (warned) {
            return;
        }
        Optional<SystemMemory> now = source.get();
        if (now.isEmpty() || now.get().availableKib() >= now.get().totalKib() * LOW_SHARE) {
            return;
        }
        warned = true;
        SystemMemory m = now.get();
        ProcessMemory own = ProcessMemory.now();
        String held = own.residentKib() < 0 ? ""
                : String.format(Locale.ROOT, "this process holds %.1f GiB, ", own.residentKib() / (double) (1 << 20));
        out.printf(Locale.ROOT, "%nwarning: memory is running low: %sonly %.1f of %.1f GiB%s is still available. "
                + "If it runs out, the kernel stops this process without a message. %s%n",
                held, m.availableGib(), m.totalGib(), m.groupLimited() ? " (this control group's limit)" : "",
                advice);
        out.flush();
    }

    /** Lets the next low reading warn again (a training run rearms at every epoch). */
    public void rearm() {
        warned = false;
    }
}
