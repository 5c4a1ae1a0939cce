package org.bonexray.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimingsTest {
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
