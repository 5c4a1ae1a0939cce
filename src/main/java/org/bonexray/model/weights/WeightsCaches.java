package org.bonexray.model.weights;

import java.nio.file.Path;
import java.util.Map;

/**
 * The folders where verified weights may already be: bonexray's own cache, the Hugging Face hub cache (where
 * timm's downloads go, one {@code blobs/SHA256} file per content) and torch.hub's checkpoint folder (where
 * torchvision's downloads go, named {@code NAME-PREFIX.pth}).
 *
 * @param bonexray {@code $BONEXRAY_CACHE/weights} or {@code ~/.cache/bonexray/weights}
 * @param huggingFace {@code $HF_HUB_CACHE}, {@code $HF_HOME/hub} or {@code ~/.cache/huggingface/hub}
 * @param torchHub {@code $TORCH_HOME/hub/checkpoints} or {@code ~/.cache/torch/hub/checkpoints}
 */
public record WeightsCaches(Path bonexray, Path huggingFace, Path torchHub) {
    /** The folders the environment names, as the hub and torch libraries themselves choose them. */
    public static WeightsCaches fromEnvironment(Map<String, String> env, Path home, Path bonexrayCache) {
        Path xdg = set(env, "XDG_CACHE_HOME") ? Path.of(env.get("XDG_CACHE_HOME")) : home.resolve(".cache");
        Path hf = set(env, "HF_HUB_CACHE") ? Path.of(env.get("HF_HUB_CACHE"))
                : set(env, "HF_HOME") ? Path.of(env.get("HF_HOME")).resolve("hub") : xdg.resolve("huggingface").resolve("hub");
        Path torchHome = set(env, "TORCH_HOME") ? Path.of(env.get("TORCH_HOME")) : xdg.resolve("torch");
        return new WeightsCaches(bonexrayCache, hf, torchHome.resolve("hub").resolve("checkpoints"));
    }

    private static boolean set(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }
}
