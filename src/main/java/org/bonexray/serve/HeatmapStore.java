package org.bonexray.serve;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Recently produced heatmap overlays (PNG bytes), in memory only: bounded in count and in bytes (least
 * recently used goes first) and in age. Ids are 128 random bits, so one client cannot guess another's overlays.
 */
public final class HeatmapStore {
    private record Entry(byte[] png, Instant expires) {
    }

    private final int capacity;
    private final long maxBytes;
    private long bytes;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    public HeatmapStore(int capacity, long maxBytes, Duration ttl, Clock clock) {
        if (capacity < 0 || maxBytes < 0 || ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("capacity and byte budget must be >= 0 and ttl positive");
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Stores an overlay and returns its id; with capacity 0 nothing is kept and the id finds nothing. */
    public synchronized String put(byte[] png) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String id = HexFormat.of().formatHex(bits);
        if (capacity == 0 || png.length > maxBytes) {
            return id;
        }
        evictExpired();
        entries.put(id, new Entry(png.clone(), clock.instant().plus(ttl)));
        bytes += png.length;
        while (entries.size() > capacity || bytes > maxBytes) {
            Iterator<Entry> eldest = entries.values().iterator();
            bytes -= eldest.next().png().length;
            eldest.remove();
        }
        return id;
    }

    /** The overlay with this id, unless it expired or was evicted. */
    public synchronized Optional<byte[]> get(String id) {
        evictExpired();
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(e.png.clone());
    }

    /** Bytes held. */
    public synchronized long bytes() {
        evictExpired();
        return bytes;
    }

    public synchronized int size() {
        evictExpired();
        return entries.size();
    }

    private void evictExpired() {
        Instant now = clock.instant();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Entry e = it.next().getValue();
            if (!e.expires().isAfter(now)) {
                bytes -= e.png().length;
                it.remove();
            }
        }
    }
}
