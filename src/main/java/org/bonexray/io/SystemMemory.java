package org.bonexray.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory this process may use and how much of it is still free, in KiB: the machine's, from
 * {@code /proc/meminfo} (MemTotal, MemAvailable), or its control group's where that is lower ({@link CgroupMemory}:
 * a container's limit, which the host's meminfo does not show).
 *
 * <p>A process that takes the rest is stopped by the kernel's out-of-memory killer without a word of its own, so
 * long work reads this between steps and warns first ({@link MemoryWatch}), and {@code --recompute auto} sizes its
 * budget from what is available at the start.
 *
 * @param totalKib MemTotal, or the group's limit where lower
 * @param availableKib MemAvailable (the kernel's estimate of what can be allocated without swapping), or the group's
 *     headroom where lower
 * @param groupLimited whether the total is a control group's limit rather than the machine's
 */
public record SystemMemory(long totalKib, long availableKib, boolean groupLimited) {
    static final Path MEMINFO = Path.of("/proc/meminfo");
    static final Path THP_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /** @return the figures now, empty where {@code /proc/meminfo} is missing, unreadable or lacks either field */
    public static Optional<SystemMemory> now() {
        return read(MEMINFO).map(m -> m.within(CgroupMemory.now()));
    }

    /**
     * @param group the control group's limit, if it has one
     * @return these figures, each lowered to the group's where the group's is lower
     */
    SystemMemory within(Optional<CgroupMemory> group) {
        if (group.isEmpty()) {
            return this;
        }
        CgroupMemory g = group.get();
        boolean limited = g.limitKib() < totalKib;
        return new SystemMemory(Math.min(totalKib, g.limitKib()), Math.min(availableKib, g.headroomKib()), limited);
    }

    static Optional<SystemMemory> read(Path meminfo) {
        try {
            return parse(Files.readAllLines(meminfo));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Linux, or a file we cannot read: no figures, no warning
        }
    }

    /**
     * Reads MemTotal and MemAvailable from the lines of a {@code /proc/meminfo} file.
     *
     * @param lines the file's lines
     * @return the figures, empty when either field is missing
     */
    public static Optional<SystemMemory> parse(List<String> lines) {
        long total = ProcessMemory.field(lines, "MemTotal:");
        long available = ProcessMemory.field(lines, "MemAvailable:");
        return total > 0 && available >= 0 ? Optional.of(new SystemMemory(total, available, false))
                : Optional.empty();
    }

    /**
     * The kernel's transparent huge page mode, the bracketed word of its settings file: "always", "madvise" (only
     * memory that asks, as glibc's malloc does under {@code GLIBC_TUNABLES=glibc.malloc.hugetlb=1}) or "never".
     *
     * @return the mode, or "unknown" where the file is missing or unreadable
     */
    public static String transparentHugePages() {
        try {
            Matcher m = Pattern.compile("\\[(\\w+)]").matcher(Files.readString(THP_MODE));
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** @return the total in GiB */
    public double totalGib() {
        return totalKib / (double) (1 << 20);
    }

    /** @return what is available in GiB */
    public double availableGib() {
        return availableKib / (double) (1 << 20);
    }
}
