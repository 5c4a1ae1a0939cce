package org.bonexray.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.bonexray.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchStateTest {
    private static final String PACS = "http://pacs/dicom-web/";

    @Test
    void aSavedStateLoadsBackWithEveryStudy(@TempDir Path dir) {
        Path file = dir.resolve("state.json");
        WatchState s = WatchState.load(file, PACS, "m1");
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        assertTrue(s.enqueue("1.1", now));
        assertTrue(s.enqueue("1.2", now));
        assertTrue(s.enqueue("1.3", now));
        assertFalse(s.enqueue("1.1", now), "a queued study is not queued twice");
        s.markDone("1.1", new WatchState.Done("stored", "2.25.9", "abnormal", now.toString()));
        s.markLeft("1.2", new WatchState.Left("skipped", "CHEST", now.toString()));
        s.markFailed("1.3", now.plusSeconds(5), "HTTP 503");
        s.markFailed("1.3", now.plusSeconds(10), "HTTP 503");
        s.advance(42);
        s.advance(7);
        s.save();

        WatchState back = WatchState.load(file, PACS, "m1");
        assertEquals(42, back.lastChange(), "the feed position never goes back");
        assertEquals("2.25.9", back.done().get("1.1").reportSeriesUid());
        assertEquals("CHEST", back.left().get("1.2").reason());
        assertEquals(2, back.pending().get("1.3").attempts());
        assertEquals(now.plusSeconds(10), back.pending().get("1.3").nextAttemptAt());
        assertFalse(back.enqueue("1.1", now), "a done study is never queued again");
        assertTrue(back.enqueue("1.2", now), "a study left alone is tried again when it changes");
        assertFalse(back.left().containsKey("1.2"));
    }

    @Test
    void aStateOfAnotherModelOrPacsOrABrokenFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.json");
        WatchState.load(file, PACS, "m1").save();
        assertThrows(IllegalArgumentException.class, () -> WatchState.load(file, PACS, "m2"));
        assertThrows(IllegalArgumentException.class, () -> WatchState.load(file, "http://other/dicom-web/", "m1"));
        Files.writeString(file, "{\"version\": 1, \"pacs\": \"" + PACS + "\", \"modelId\": \"m1\", \"lastChange\": 3, "
                + "\"pending\": {\"1.3\": {\"attempts\": 1, \"nextAttempt\": \"soon\"}}}");
        DataException e = assertThrows(DataException.class, () -> WatchState.load(file, PACS, "m1"));
        assertTrue(e.getMessage().contains("state.json"), e.getMessage());
        Files.writeString(file, "{\"version\": 1, \"pacs\": ");
        assertThrows(DataException.class, () -> WatchState.load(file, PACS, "m1"));
        Files.writeString(file, "[]");
        assertThrows(DataException.class, () -> WatchState.load(file, PACS, "m1"));
    }
}
