package org.bonexray.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's memory and how much of it processes can still take without swapping, in KiB, from
 * {@code /proc/meminfo} (MemTotal, MemAvailable).
 *
 * <p>A process that takes the rest is stopped by the kernel's out-of-memory killer without a word of its own, so
 * long work reads this between steps and warns first ({@link MemoryWatch}).
 *
 * @param totalKib MemTotal
 * @param availableKib MemAvailable, the kernel's estimate of what can be allocated without swapping
 */
public record SystemMemory(long totalKib, long availableKib) {
    static final Path MEMINFO = Path.of("/proc/meminfo");
    static final Path THP_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /** @return the figures now, empty where {@code /proc/meminfo} is missing, unreadable or lacks either field */
    public static Optional<SystemMemory> now() {
        return read(MEMINFO);
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
        return total > 0 && available >= 0 ? Optional.of(new SystemMemory(total, available)) : Optional.empty();
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

    /** @return MemTotal in GiB */
    public double totalGib() {
        return totalKib / (double) (1 << 20);
    }

    /** @return MemAvailable in GiB */
    public double availableGib() {
        return availableKib / (double) (1 << 20);
    }
}
