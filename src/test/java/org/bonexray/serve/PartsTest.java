package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Upload names, the heatmap store and the configuration's checks. */
class PartsTest {
    @Test
    void namesKeepOnlyTheLastSafeSegment() {
        assertEquals("passwd", UploadNames.sanitize("../../etc/passwd", 0));
        assertEquals("x.png", UploadNames.sanitize("C:\\Users\\me\\x.png", 0));
        assertEquals("image-2", UploadNames.sanitize("..", 1));
        assertEquals("image-1", UploadNames.sanitize(null, 0));
        assertEquals("a_b_.png", UploadNames.sanitize("a<b>.png", 0));
        assertEquals("evil_x.png", UploadNames.sanitize("evil\r\nx.png", 0).replace("__", "_"));
        assertEquals(UploadNames.MAX_LENGTH, UploadNames.sanitize("a".repeat(500), 0).length());
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void heatmapStoreEvictsLeastRecentlyUsedAndExpired() {
        ManualClock clock = new ManualClock();
        HeatmapStore store = new HeatmapStore(2, 1000, Duration.ofMinutes(1), clock);
        String a = store.put(new byte[] {1});
        String b = store.put(new byte[] {2});
        assertTrue(a.matches("[0-9a-f]{32}") && !a.equals(b));
        assertArrayEquals(new byte[] {1}, store.get(a).orElseThrow()); // a is now the most recent
        String c = store.put(new byte[] {3});
        assertTrue(store.get(b).isEmpty(), "least recently used evicted");
        assertTrue(store.get(a).isPresent() && store.get(c).isPresent());
        clock.now = clock.now.plusSeconds(61);
        assertTrue(store.get(a).isEmpty() && store.get(c).isEmpty(), "expired");
        assertEquals(0, store.size());
        assertEquals(0, store.bytes());
    }

    @Test
    void heatmapStoreKeepsWithinItsByteBudget() {
        HeatmapStore store = new HeatmapStore(10, 100, Duration.ofMinutes(1), new ManualClock());
        String a = store.put(new byte[60]);
        String b = store.put(new byte[60]);
        assertTrue(store.get(a).isEmpty() && store.get(b).isPresent());
        assertEquals(60, store.bytes());
        String huge = store.put(new byte[101]);
        assertTrue(store.get(huge).isEmpty() && store.get(b).isPresent(), "an overlay over the budget is not kept");
    }

    @Test
    void configRejectsNonsense() {
        ServeConfig d = ServeConfig.defaults();
        assertEquals("127.0.0.1", d.host());
        assertTrue(d.loopbackOnly());
        assertThrows(IllegalArgumentException.class, () -> new ServeConfig.Queue(32, ServeConfig.MB, Duration.ofSeconds(1), 8,
                Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().queue(0, Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().queue(4, Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().batching(0, Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().port(70000).build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().limits(10, 5, 1).build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().token(" ").build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().adminToken("").build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().queue(new ServeConfig.Queue(4, 2 * ServeConfig.MB,
                Duration.ofSeconds(1), 8, Duration.ZERO, 1)).build(), "a budget smaller than one request");
    }
}
