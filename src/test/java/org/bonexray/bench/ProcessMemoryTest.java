package org.bonexray.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void thisProcessHasAResidentSetNoLargerThanItsPeak() {
        ProcessMemory m = ProcessMemory.now();
        if (m.residentKib() >= 0) {
            assertTrue(m.residentKib() > 0 && m.residentKib() <= m.peakKib(), m.toString());
        }
    }

    @Test
    void medianIsTheMiddleValueAndRateUsesIt() {
        Timings t = new Timings(List.of(3.0, 1.0, 100.0));
        assertEquals(3.0, t.median());
        assertEquals(1.0, t.min());
        assertEquals(2.0, t.imagesPerSecond(6), 1e-12);
        assertEquals(2.5, new Timings(List.of(4.0, 1.0, 2.0, 3.0)).median());
        assertThrows(IllegalArgumentException.class, () -> new Timings(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Timings(List.of(0.0)));
    }
}
