package org.bonexray.model.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;

/**
 * What bonexray's cache knows about a file it verified: written beside it as {@code NAME.json} when the file is
 * downloaded or imported, so that a later run can use the file (checking its SHA-256 again) and record its URL,
 * revision and digest even when the catalogue pins neither.
 *
 * @param entry the catalogue name
 * @param url the source URL at its revision
 * @param revision the hub commit id, or null
 * @param sha256 the file's SHA-256 when it was verified
 * @param verifiedBy what it was verified against
 * @param recordedAt when
 */
public record CacheRecord(String entry, String url, String revision, String sha256, String verifiedBy,
                          String recordedAt) {
    /** The record's file beside a cached file. */
    static Path pathFor(Path cached) {
        return cached.resolveSibling(cached.getFileName() + ".json");
    }

    /** The record written for {@code fetched}, atomically. */
    static void write(FetchedWeights fetched) {
        AtomicFiles.writeJson(pathFor(fetched.file()), new CacheRecord(fetched.entry(), fetched.url(),
                fetched.revision(), fetched.sha256(), fetched.verifiedBy(), Instant.now().toString()));
    }

    /** The record beside {@code cached}, when there is a readable one. */
    static Optional<CacheRecord> read(Path cached) {
        Path file = pathFor(cached);
        try {
            return Files.isRegularFile(file) ? Optional.of(Json.MAPPER.readValue(file.toFile(), CacheRecord.class))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // an unreadable record only costs the file its provenance: it is checked anew
        }
    }
}
