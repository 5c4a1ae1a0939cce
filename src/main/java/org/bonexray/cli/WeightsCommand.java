package org.bonexray.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bonexray weights}: the pretrained-weights catalogue, its caches, and weight files. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        header = "List, fetch, import and inspect pretrained weights.",
        description = {"The catalogue holds the ImageNet weights of torchvision's DenseNet-121/169/201, from timm's "
                + "hub repositories (safetensors, verified by SHA-256) and from torchvision's own files (.pth, checked "
                + "by the hash prefix in their names, as torch.hub does). 'train --pretrained imagenet' uses a verified "
                + "copy from bonexray's cache, the Hugging Face cache or the torch hub cache before it downloads.",
                "Environment: BONEXRAY_CACHE (cache root), BONEXRAY_OFFLINE=true (never download), HF_HUB_CACHE / "
                + "HF_HOME, TORCH_HOME, BONEXRAY_HUB_ENDPOINT / BONEXRAY_TORCHVISION_ENDPOINT (mirrors)."},
        subcommands = {WeightsListCommand.class, WeightsFetchCommand.class, WeightsImportCommand.class,
            WeightsInspectCommand.class})
public final class WeightsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
