package org.bonexray.model.weights;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One cache's answer for a catalogue entry.
 *
 * @param location which cache ({@code bonexray cache}, {@code Hugging Face cache}, {@code torch hub cache})
 * @param path where the file is or would be
 * @param state {@code verified (...)}, {@code absent}, or why a present file cannot be used
 * @param weights the usable file, when verified
 */
public record CacheState(String location, Path path, String state, Optional<FetchedWeights> weights) {
    static CacheState absent(String location, Path path) {
        return new CacheState(location, path, "absent", Optional.empty());
    }
}
