package org.bonexray.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.bonexray.data.DataException;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;

/**
 * What {@code pacs watch} has done, kept in a small JSON file rewritten atomically after every change, so a
 * restart neither skips nor repeats a study: the last change-feed sequence number taken in, the studies still
 * to score (with their attempts and next try), those done (report stored or found) and those left alone
 * (skipped, or nothing decodable) with the reason. A study enters {@code pending} before the sequence number
 * that announced it is saved, and leaves it only once its report is confirmed stored.
 */
public final class WatchState {
    static final int VERSION = 1;

    private final Path file;
    private final Data data;
    private long lastChange;

    /** A study still to score: tries so far, when to try next (ISO-8601), the last failure. */
    public record Pending(int attempts, String nextAttempt, String lastError) {
        Instant nextAttemptAt() {
            return Instant.parse(nextAttempt);
        }
    }

    /** A study done: how (stored, already_reported), the report's series, the finding, when (ISO-8601). */
    public record Done(String status, String reportSeriesUid, String label, String at) {
    }

    /** A study not scored: how (skipped, bad_data), why, when (ISO-8601). */
    public record Left(String status, String reason, String at) {
    }

    /** The file's content. */
    public record Data(int version, String pacs, String modelId, long lastChange, Map<String, Pending> pending,
                       Map<String, Done> done, Map<String, Left> left) {
        public Data {
            pending = new TreeMap<>(pending == null ? Map.of() : pending);
            done = new TreeMap<>(done == null ? Map.of() : done);
            left = new TreeMap<>(left == null ? Map.of() : left);
        }
    }

    private WatchState(Path file, Data data) {
        this.file = file;
        this.data = data;
        this.lastChange = data.lastChange();
    }

    /**
     * Reads the state file, or starts a fresh state when there is none. A state written for another PACS or
     * model is refused: its studies are not this model's.
     */
    public static WatchState load(Path file, String pacs, String modelId) {
        if (!Files.exists(file)) {
            return new WatchState(file, new Data(VERSION, pacs, modelId, 0, null, null, null));
        }
        Data data;
        try {
            JsonNode tree = Json.MAPPER.readTree(file.toFile());
            if (tree == null || tree.path("version").asInt() != VERSION) {
                throw new DataException(file, "not a bonexray watch state (version " + VERSION + ")");
            }
            data = Json.MAPPER.treeToValue(tree, Data.class);
            for (Pending p : data.pending().values()) {
                if (p == null || p.nextAttempt() == null) {
                    throw new DataException(file, "a pending study has no next attempt time");
                }
                p.nextAttemptAt();
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new DataException(file, "a pending study's next attempt is not an ISO-8601 time: " + e.getParsedString());
        } catch (IOException e) {
            throw new DataException(file, "unreadable watch state: " + e.getMessage(), e);
        }
        if (!pacs.equals(data.pacs()) || !modelId.equals(data.modelId())) {
            throw new IllegalArgumentException(file + " is the state of watching " + data.pacs() + " with model "
                    + data.modelId() + "; use another --state for " + pacs + " with model " + modelId);
        }
        return new WatchState(file, data);
    }

    /** Writes the state atomically. */
    public void save() {
        AtomicFiles.writeJson(file, new Data(VERSION, data.pacs(), data.modelId(), lastChange, data.pending(),
                data.done(), data.left()));
    }

    public Path file() {
        return file;
    }

    public long lastChange() {
        return lastChange;
    }

    public Map<String, Pending> pending() {
        return java.util.Collections.unmodifiableMap(data.pending());
    }

    public Map<String, Done> done() {
        return java.util.Collections.unmodifiableMap(data.done());
    }

    public Map<String, Left> left() {
        return java.util.Collections.unmodifiableMap(data.left());
    }

    /** Moves the feed position on, never back. */
    void advance(long seq) {
        lastChange = Math.max(lastChange, seq);
    }

    /** Queues a study announced stable, unless it is done or already queued; a study left alone is tried again. */
    boolean enqueue(String studyUid, Instant now) {
        if (data.done().containsKey(studyUid) || data.pending().containsKey(studyUid)) {
            return false;
        }
        data.left().remove(studyUid);
        data.pending().put(studyUid, new Pending(0, now.toString(), null));
        return true;
    }

    void markDone(String studyUid, Done done) {
        data.pending().remove(studyUid);
        data.done().put(studyUid, done);
    }

    void markLeft(String studyUid, Left left) {
        data.pending().remove(studyUid);
        data.left().put(studyUid, left);
    }

    void markFailed(String studyUid, Instant nextAttempt, String error) {
        int attempts = data.pending().containsKey(studyUid) ? data.pending().get(studyUid).attempts() : 0;
        data.pending().put(studyUid, new Pending(attempts + 1, nextAttempt.toString(), error));
    }
}
