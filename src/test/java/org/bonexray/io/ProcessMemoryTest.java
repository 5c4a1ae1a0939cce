package org.bonexray.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
    @Test
    void readsRssAndHighWaterMarkFromProcStatusLines() {
        ProcessMemory m = ProcessMemory.parse(List.of("Name:\tjava", "VmHWM:\t  204800 kB", "VmRSS:\t   102400 kB",
                "Threads:\t12"));
        assertEquals(102_400, m.residentKib());
        assertEquals(204_800, m.peakKib());
        assertEquals(100.0, m.residentMib(), 1e-9);
        assertEquals(200.0, m.peakMib(), 1e-9);
        assertEquals(-1, ProcessMemory.parse(List.of("Name:\tx")).residentKib());
    }

    @Test
    void theResidentSetGrowsWithMemoryTouchedAndStaysWithinItsPeak() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc/self/status");
        ProcessMemory before = ProcessMemory.now();
        assertTrue(before.residentKib() > 0 && before.residentKib() <= before.peakKib(), before.toString());
        // Native memory, not the Java heap (whose pages the JVM may have touched already): every page written.
        java.nio.ByteBuffer touched = java.nio.ByteBuffer.allocateDirect(96 << 20);
        for (int i = 0; i < touched.capacity(); i += 4096) {
            touched.put(i, (byte) 1);
        }
        ProcessMemory after = ProcessMemory.now();
        assertTrue(after.residentKib() - before.residentKib() > 64 * 1024,
                "96 MiB touched, resident set " + before + " -> " + after + " (" + touched.get(4096) + ")");
        assertTrue(after.residentKib() <= after.peakKib(), after.toString());
    }
}
