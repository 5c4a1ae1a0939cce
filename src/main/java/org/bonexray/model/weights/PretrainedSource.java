package org.bonexray.model.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.bonexray.data.DataException;

/**
 * Where pretrained weights come from: the ImageNet catalogue ({@code --pretrained imagenet}) or a local
 * safetensors/npz file ({@code --pretrained FILE}).
 *
 * @param file the weights file to import
 * @param catalogueEntry the catalogue entry when the weights are the ImageNet ones
 */
public record PretrainedSource(Path file, Optional<PretrainedWeights> catalogueEntry) {
    /** The value of {@code --pretrained} that selects the ImageNet catalogue. */
    public static final String IMAGENET = "imagenet";

    public PretrainedSource {
        if (file == null || catalogueEntry == null) {
            throw new IllegalArgumentException("a pretrained source needs a file and an (optional) catalogue entry");
        }
    }

    /**
     * Resolves a {@code --pretrained} value.
     *
     * @param value {@code imagenet} or the path of a {@code .safetensors} or {@code .npz} file
     * @param variantName the architecture being built, for example {@code densenet169} (used for imagenet)
     * @param userSha256 the user's {@code --sha256}, or null (see {@link PretrainedWeights#fetch})
     * @param downloader fetches and caches catalogue files
     * @throws DataException when a local file is missing or is neither safetensors nor npz
     * @throws WeightsException when the catalogue file cannot be had
     */
    public static PretrainedSource resolve(String value, String variantName, String userSha256,
                                           WeightsDownloader downloader) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--pretrained needs 'imagenet' or a .safetensors/.npz file");
        }
        if (value.strip().equalsIgnoreCase(IMAGENET)) {
            PretrainedWeights entry = PretrainedWeights.forVariant(variantName);
            return new PretrainedSource(entry.fetch(downloader, userSha256), Optional.of(entry));
        }
        Path file = Path.of(value.strip());
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "no such weights file (--pretrained takes '" + IMAGENET
                    + "' or a .safetensors/.npz file)");
        }
        if (!isWeightsFile(file)) {
            throw new DataException(file, "not a .safetensors or .npz weights file");
        }
        return new PretrainedSource(file, Optional.empty());
    }

    /** The preprocessing preset the weights expect, when known (local files do not say). */
    public Optional<String> preprocessingPreset() {
        return catalogueEntry.map(PretrainedWeights::preprocessingPreset);
    }

    static boolean isWeightsFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".safetensors") || name.endsWith(".npz");
    }
}
