package org.bonexray.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The resident set size of this process, now and at its peak, in KiB, from {@code /proc/self/status}.
 *
 * <p>Native memory (libtorch's tensors) is invisible to the Java heap counters, so only the kernel's view tells
 * whether a training loop leaks. Both values are -1 where {@code /proc} does not exist.
 *
 * @param residentKib VmRSS, the current resident set
 * @param peakKib VmHWM, the high-water mark of the resident set since the process started
 */
public record ProcessMemory(long residentKib, long peakKib) {
    private static final Path STATUS = Path.of("/proc/self/status");

    /** @return the current figures */
    public static ProcessMemory now() {
        if (!Files.isReadable(STATUS)) {
            return new ProcessMemory(-1, -1);
        }
        try {
            return parse(Files.readAllLines(STATUS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS, e);
        }
    }

    /**
     * Reads VmRSS and VmHWM from the lines of a {@code /proc/PID/status} file.
     *
     * @param lines the file's lines
     * @return the figures, -1 for a missing field
     */
    public static ProcessMemory parse(List<String> lines) {
        return new ProcessMemory(field(lines, "VmRSS:"), field(lines, "VmHWM:"));
    }

    /** The number after {@code name} in a /proc file of "Name:  123456 kB" lines (status, meminfo), -1 if absent. */
    static long field(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    /** @return the resident set in MiB */
    public double residentMib() {
        return residentKib / 1024.0;
    }

    /** @return the peak resident set in MiB */
    public double peakMib() {
        return peakKib / 1024.0;
    }
}
