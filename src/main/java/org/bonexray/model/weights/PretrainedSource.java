package org.bonexray.model.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bonexray.data.DataException;
import org.bonexray.data.image.Normalization;

/**
 * Where pretrained weights come from: the ImageNet catalogue ({@code --pretrained imagenet}, found in a cache or
 * downloaded, verified) or a local weight file of any format bonexray reads ({@code --pretrained FILE}).
 *
 * @param file the weights file to import
 * @param catalogue the catalogue file's provenance, when the weights are the ImageNet ones
 */
public record PretrainedSource(Path file, Optional<FetchedWeights> catalogue) {
    /** The value of {@code --pretrained} that selects the ImageNet catalogue. */
    public static final String IMAGENET = "imagenet";
    /** The value of {@code --pretrained} for training from scratch. */
    public static final String NONE = "none";

    public PretrainedSource {
        if (file == null || catalogue == null) {
            throw new IllegalArgumentException("a pretrained source needs a file and an (optional) catalogue entry");
        }
    }

    /**
     * Resolves a {@code --pretrained} value.
     *
     * @param value {@code imagenet} or the path of a weights file
     * @param variantName the architecture being built, for example {@code densenet169} (used for imagenet)
     * @param userSha256 a SHA-256 the user vouches for the catalogue file, or null
     * @param store finds or fetches catalogue files
     * @throws DataException when a local file is missing or of no format bonexray reads
     * @throws WeightsException when the catalogue file cannot be had verified
     */
    public static PretrainedSource resolve(String value, String variantName, String userSha256, PretrainedStore store) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--pretrained needs 'imagenet' or a weights file");
        }
        if (isImagenet(value)) {
            FetchedWeights fetched = store.imagenet(variantName, userSha256);
            return new PretrainedSource(fetched.file(), Optional.of(fetched));
        }
        Path file = Path.of(value.strip());
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "no such weights file (--pretrained takes '" + IMAGENET + "' or a .safetensors,"
                    + " .npz, .pth, .pt, .bin or .ckpt file)");
        }
        WeightsFiles.detect(file);
        return new PretrainedSource(file, Optional.empty());
    }

    /** Whether a {@code --pretrained} value asks for the ImageNet catalogue. */
    public static boolean isImagenet(String value) {
        return value != null && value.strip().equalsIgnoreCase(IMAGENET);
    }

    /**
     * The input scaling weights expect, from the {@code --pretrained} value alone: ImageNet statistics for the
     * catalogue and for files in general, torchxrayvision's [-1024, 1024] for a whole pickled torchxrayvision model
     * (read from its pickle; no tensor is read). Empty for {@code none}.
     */
    public static Optional<Normalization> expectedNormalization(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase(NONE)) {
            return Optional.empty();
        }
        if (isImagenet(value)) {
            return Optional.of(Normalization.IMAGENET);
        }
        Path file = Path.of(value.strip());
        if (!Files.isRegularFile(file)) {
            return Optional.of(Normalization.IMAGENET); // the missing file is reported when the weights are loaded
        }
        return Optional.of(isTorchXrayVision(WeightsFiles.moduleClass(file)) ? Normalization.XRAY : Normalization.IMAGENET);
    }

    /** Whether a whole pickled module is one of torchxrayvision's models. */
    public static boolean isTorchXrayVision(Optional<String> moduleClass) {
        return moduleClass.filter(c -> c.startsWith("torchxrayvision.")).isPresent();
    }
}
