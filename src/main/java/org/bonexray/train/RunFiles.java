package org.bonexray.train;

import java.nio.file.Path;
import java.util.List;
import org.bonexray.io.AtomicFiles;

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

    void writeHistory(List<EpochRecord> history) {
        StringBuilder csv = new StringBuilder(EpochRecord.CSV_HEADER).append('\n');
        history.forEach(r -> csv.append(r.csvRow()).append('\n'));
        AtomicFiles.writeString(dir.resolve("history.csv"), csv.toString());
        AtomicFiles.writeJson(dir.resolve("history.json"), history);
    }
}
