package org.bonexray.model.weights;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.bonexray.io.Sha256;

/**
 * The ImageNet-1k weights of torchvision's DenseNets, from two sources.
 *
 * <p>timm's {@code timm/densenetNNN.tv_in1k} {@code model.safetensors} (torchvision's weights under torchvision's
 * keys) is what {@code --pretrained imagenet} downloads: at a pinned hub revision (a commit id) where one is known,
 * verified against the pinned SHA-256 or, where none is pinned, the SHA-256 the hub publishes for the file (its
 * Git LFS object id). An entry without a pinned revision is downloaded at the commit the hub names for
 * {@code main} when asked, and that commit is recorded. torchvision's own {@code densenetNNN-XXXXXXXX.pth} files
 * (the legacy pickle format) are a second source, checked as torch.hub checks them: the file's SHA-256 must start
 * with the 8 hex digits in its name, a weaker check than a full digest.
 */
public enum PretrainedWeights {
    /** DenseNet-121; revision and SHA-256 of {@code model.safetensors} from the hub's records. */
    DENSENET121_IMAGENET("densenet121", Source.TIMM_HUB, "f0d0f2698a02cb133b09d48396db6e1e46fe9f3b",
            "c894c6d9caa317a8ca1942986dee7a16a86c77734a4d691d2abe05389cfef358"),
    /** DenseNet-169, the MURA baseline's backbone; no revision or digest pinned (the hub's are used and recorded). */
    DENSENET169_IMAGENET("densenet169", Source.TIMM_HUB, null, null),
    /** DenseNet-201; no revision or digest pinned (the hub's are used and recorded). */
    DENSENET201_IMAGENET("densenet201", Source.TIMM_HUB, null, null),
    /** torchvision's DenseNet-121 file. */
    DENSENET121_TORCHVISION("densenet121", Source.TORCHVISION, null, "a639ec97"),
    /** torchvision's DenseNet-169 file. */
    DENSENET169_TORCHVISION("densenet169", Source.TORCHVISION, null, "b2777c0a"),
    /** torchvision's DenseNet-201 file. */
    DENSENET201_TORCHVISION("densenet201", Source.TORCHVISION, null, "c1103571");

    /** Where an entry's file is published. */
    public enum Source { TIMM_HUB, TORCHVISION }

    /** Name of the preprocessing preset these weights were trained with. */
    public static final String IMAGENET_PRESET = "imagenet";
    /** The file of a timm hub repository that holds the weights. */
    public static final String HUB_FILE = "model.safetensors";

    private final String variant;
    private final Source source;
    private final String revision;
    private final String digest;

    PretrainedWeights(String variant, Source source, String revision, String digest) {
        this.variant = variant;
        this.source = source;
        this.revision = revision;
        this.digest = digest == null || source == Source.TORCHVISION ? digest : Sha256.normalize(digest);
    }

    /** The architecture these weights fit, for example {@code densenet169}. */
    public String variant() {
        return variant;
    }

    public Source source() {
        return source;
    }

    /** The catalogue name: {@code densenet169.tv_in1k} (timm) or {@code densenet169-b2777c0a} (torchvision). */
    public String catalogueName() {
        return source == Source.TIMM_HUB ? variant + ".tv_in1k" : variant + "-" + digest;
    }

    /** The timm hub repository, for example {@code timm/densenet169.tv_in1k} (timm entries only). */
    public String hubRepository() {
        return "timm/" + variant + ".tv_in1k";
    }

    /** The cache file name: {@code densenet169.tv_in1k.safetensors} or torch.hub's {@code densenet169-b2777c0a.pth}. */
    public String fileName() {
        return source == Source.TIMM_HUB ? catalogueName() + ".safetensors" : catalogueName() + ".pth";
    }

    /** The pinned hub revision (a commit id), when one is known. */
    public Optional<String> revision() {
        return Optional.ofNullable(revision);
    }

    /** The pinned SHA-256 (timm entries), when one is known. */
    public Optional<String> sha256() {
        return source == Source.TIMM_HUB ? Optional.ofNullable(digest) : Optional.empty();
    }

    /** The digest known before any download: the pinned SHA-256, or torchvision's 8-digit prefix; empty if none. */
    public Optional<ExpectedDigest> knownDigest() {
        if (digest == null) {
            return Optional.empty();
        }
        return Optional.of(source == Source.TIMM_HUB ? ExpectedDigest.full(digest) : ExpectedDigest.prefix(digest));
    }

    /** The file's URL at a revision (timm; {@code main} or a commit id) or torchvision's URL (revision ignored). */
    public URI url(WeightsEndpoints endpoints, String atRevision) {
        if (source == Source.TORCHVISION) {
            return endpoints.torchvision().resolve(fileName());
        }
        return endpoints.hub().resolve(hubRepository() + "/resolve/" + atRevision + "/" + HUB_FILE);
    }

    /** The URL at the pinned revision, or at {@code main} when none is pinned. */
    public URI url(WeightsEndpoints endpoints) {
        return url(endpoints, revision().orElse("main"));
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
     * The timm entry for a variant name such as {@code densenet169}, {@code DENSENET169} or {@code densenet-169}.
     *
     * @throws IllegalArgumentException when there are no ImageNet weights for that variant
     */
    public static PretrainedWeights forVariant(String variantName) {
        String wanted = variantName.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (PretrainedWeights w : values()) {
            if (w.source == Source.TIMM_HUB && w.variant.equals(wanted)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no ImageNet weights for '" + variantName
                + "' (there are for densenet121, densenet169 and densenet201); pass --pretrained FILE instead");
    }

    /** The torchvision entry of the same variant. */
    public PretrainedWeights torchvisionTwin() {
        for (PretrainedWeights w : values()) {
            if (w.source == Source.TORCHVISION && w.variant.equals(variant)) {
                return w;
            }
        }
        throw new IllegalStateException("no torchvision file for " + variant);
    }

    /**
     * The entry of a catalogue name ({@code densenet169.tv_in1k}, {@code densenet169-b2777c0a}, with or without
     * {@code .safetensors}/{@code .pth}) or of a bare variant ({@code densenet169}: the timm entry).
     *
     * @throws IllegalArgumentException naming the catalogue when nothing matches
     */
    public static PretrainedWeights named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (PretrainedWeights w : values()) {
            if (n.equals(w.catalogueName()) || n.equals(w.fileName())) {
                return w;
            }
        }
        try {
            return forVariant(n);
        } catch (IllegalArgumentException e) {
            StringBuilder names = new StringBuilder();
            for (PretrainedWeights w : values()) {
                names.append(names.isEmpty() ? "" : ", ").append(w.catalogueName());
            }
            throw new IllegalArgumentException("no catalogue entry '" + name + "' (there are " + names + ")", e);
        }
    }
}
