package org.bonexray.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import org.bonexray.data.DataException;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;

/** The files of a run directory that are rewritten as the run goes: manifest and history. */
final class RunFiles {
    final Path dir;

    RunFiles(Path dir) {
        this.dir = dir;
    }

    Path modelDir() {
        return dir.resolve("model");
    }

    void writeManifest(RunManifest manifest) {
        AtomicFiles.writeJson(dir.resolve("manifest.json"), manifest);
    }

    /** The manifest written so far, if any. */
    Optional<RunManifest> readManifest() {
        Path file = dir.resolve("manifest.json");
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Json.MAPPER.readValue(file.toFile(), RunManifest.class))
                    : Optional.empty();
        } catch (IOException e) {
            throw new DataException(file, "unreadable run manifest: " + e.getMessage(), e);
        }
    }

    void writeHistory(List<EpochRecord> history) {
        StringBuilder csv = new StringBuilder(EpochRecord.CSV_HEADER).append('\n');
        history.forEach(r -> csv.append(r.csvRow()).append('\n'));
        AtomicFiles.writeString(dir.resolve("history.csv"), csv.toString());
        AtomicFiles.writeJson(dir.resolve("history.json"), history);
    }
}
