package org.bonexray.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryWatchTest {
    @TempDir
    Path dir;

    @Test
    void readsTotalAndAvailableFromMeminfoLines() {
        SystemMemory m = SystemMemory.parse(List.of("MemTotal:       24117248 kB", "MemFree:  1000 kB",
                "MemAvailable:    2097152 kB", "Buffers:  10 kB")).orElseThrow();
        assertEquals(24_117_248, m.totalKib());
        assertEquals(2_097_152, m.availableKib());
        assertEquals(23.0, m.totalGib(), 1e-9);
        assertEquals(2.0, m.availableGib(), 1e-9);
        // Kernels before 3.14 have no MemAvailable: no figures rather than a wrong warning.
        assertEquals(Optional.empty(), SystemMemory.parse(List.of("MemTotal: 1024 kB", "MemFree: 10 kB")));
        assertEquals(Optional.empty(), SystemMemory.read(dir.resolve("missing")));
    }

    @Test
    void thisMachinesFiguresAreConsistent() {
        assumeTrue(Files.isReadable(SystemMemory.MEMINFO), "needs Linux's /proc/meminfo");
        SystemMemory m = SystemMemory.now().orElseThrow();
        assertTrue(m.totalKib() > 0 && m.availableKib() <= m.totalKib(), m.toString());
        String thp = SystemMemory.transparentHugePages();
        boolean known = Files.isReadable(SystemMemory.THP_MODE);
        assertTrue(known ? List.of("always", "madvise", "never").contains(thp) : thp.equals("unknown"), thp);
    }

    @Test
    void warnsOnceBelowATenthAvailableWithTheFiguresAndTheAdviceAndAgainAfterRearm() throws IOException {
        Path meminfo = dir.resolve("meminfo");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        MemoryWatch watch = new MemoryWatch(out, "Use a smaller --batch-size.", () -> SystemMemory.read(meminfo));

        meminfo(meminfo, 10_485_760, 1_153_434); // 11% of 10 GiB left: not yet
        watch.check();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));

        meminfo(meminfo, 10_485_760, 524_288); // 0.5 of 10 GiB
        watch.check();
        String warning = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("warning: memory is running low"), warning);
        assertTrue(warning.contains("only 0.5 of 10.0 GiB is still available"), warning);
        assertTrue(warning.contains("Use a smaller --batch-size."), warning);

        watch.check(); // still low: said once is enough
        assertEquals(warning, bytes.toString(StandardCharsets.UTF_8));

        watch.rearm();
        watch.check();
        assertEquals(2, bytes.toString(StandardCharsets.UTF_8).split("memory is running low", -1).length - 1);

        Files.writeString(meminfo, "not a meminfo file\n");
        watch.rearm();
        watch.check(); // unreadable figures: no warning, no exception
        assertEquals(2, bytes.toString(StandardCharsets.UTF_8).split("memory is running low", -1).length - 1);
    }

    private static void meminfo(Path file, long totalKib, long availableKib) throws IOException {
        Files.writeString(file, "MemTotal:       " + totalKib + " kB\nMemFree:          1000 kB\nMemAvailable:   "
                + availableKib + " kB\n");
    }
}
