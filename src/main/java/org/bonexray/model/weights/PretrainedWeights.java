package org.bonexray.model.weights;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.bonexray.io.Sha256;

/**
 * The ImageNet-1k weights of torchvision's DenseNets, as timm republished them in safetensors form
 * ({@code timm/densenetNNN.tv_in1k}: torchvision's original weights under torchvision's key names).
 *
 * <p>Each entry names the file, its public URL, its pinned SHA-256 where one has been checked against
 * the hub's LFS record, and the preprocessing preset the weights expect (ImageNet mean/std). An entry
 * without a pinned checksum is never downloaded unless the user supplies the SHA-256 ({@code --sha256}).
 */
public enum PretrainedWeights {
    /** DenseNet-121; SHA-256 from the hub's Git LFS record of {@code timm/densenet121.tv_in1k} model.safetensors. */
    DENSENET121_IMAGENET("densenet121", "c894c6d9caa317a8ca1942986dee7a16a86c77734a4d691d2abe05389cfef358"),
    /** DenseNet-169, the MURA baseline's backbone; no SHA-256 pinned (not yet checked against the hub). */
    DENSENET169_IMAGENET("densenet169", null),
    /** DenseNet-201; no SHA-256 pinned (not yet checked against the hub). */
    DENSENET201_IMAGENET("densenet201", null);

    /** Name of the preprocessing preset these weights were trained with. */
    public static final String IMAGENET_PRESET = "imagenet";
    /** ImageNet channel means (RGB, on [0, 1] pixels) that the preset subtracts. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet channel standard deviations (RGB) that the preset divides by. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final String variant;
    private final String sha256;

    PretrainedWeights(String variant, String sha256) {
        this.variant = variant;
        this.sha256 = sha256 == null ? null : Sha256.normalize(sha256);
    }

    /** The architecture these weights fit, for example {@code densenet169}. */
    public String variant() {
        return variant;
    }

    /** The timm hub repository, for example {@code timm/densenet169.tv_in1k}. */
    public String hubRepository() {
        return "timm/" + variant + ".tv_in1k";
    }

    /** The cache file name, for example {@code densenet169.tv_in1k.safetensors}. */
    public String fileName() {
        return variant + ".tv_in1k.safetensors";
    }

    /** The public safetensors file. */
    public URI url() {
        return URI.create("https://huggingface.co/" + hubRepository() + "/resolve/main/model.safetensors");
    }

    /** The pinned SHA-256, when one is known. */
    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    /** The preprocessing preset these weights expect. */
    public String preprocessingPreset() {
        return IMAGENET_PRESET;
    }

    /** Number of classes of the ImageNet classifier in the file (excluded when loading a backbone). */
    public int numClasses() {
        return 1000;
    }

    /**
     * The entry for a variant name such as {@code densenet169}, {@code DENSENET169} or {@code densenet-169}.
     *
     * @throws IllegalArgumentException when there are no ImageNet weights for that variant
     */
    public static PretrainedWeights forVariant(String variantName) {
        String wanted = variantName.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (PretrainedWeights w : values()) {
            if (w.variant.equals(wanted)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no ImageNet weights for '" + variantName
                + "' (there are for densenet121, densenet169 and densenet201); pass --pretrained FILE instead");
    }

    /**
     * Returns the verified cached file, downloading it when needed.
     *
     * @param userSha256 a SHA-256 the user supplied, or null; it must agree with the pinned one, and is
     *                   required for an entry without one
     * @throws WeightsException when no checksum is known, or the download or its verification fails
     */
    public Path fetch(WeightsDownloader downloader, String userSha256) {
        return downloader.fetch(url(), fileName(), checksum(userSha256));
    }

    private String checksum(String userSha256) {
        String user = userSha256 == null || userSha256.isBlank() ? null : Sha256.normalize(userSha256);
        if (sha256 != null && user != null && !sha256.equals(user)) {
            throw new WeightsException("--sha256 " + user + " differs from the SHA-256 pinned for " + hubRepository()
                    + " (" + sha256 + "); drop --sha256, or pass --pretrained FILE to use another file");
        }
        if (sha256 == null && user == null) {
            throw new WeightsException("bonexray has no pinned SHA-256 for " + hubRepository() + ", so it will not"
                    + " download or use it unverified. Look up the SHA-256 of model.safetensors on"
                    + " https://huggingface.co/" + hubRepository() + "/blob/main/model.safetensors and pass it with"
                    + " --sha256 HEX, or download " + url() + " yourself and pass --pretrained FILE");
        }
        return user != null ? user : sha256;
    }
}
