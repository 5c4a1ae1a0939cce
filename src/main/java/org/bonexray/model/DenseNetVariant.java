package org.bonexray.model;

import java.util.List;
import java.util.Objects;

/**
 * The numbers that tell DenseNets apart (torchvision's {@code _densenet} arguments).
 *
 * @param name short name, e.g. {@code densenet169}
 * @param growthRate channels each dense layer adds
 * @param blockConfig dense layers in each of the four dense blocks
 * @param numInitFeatures channels after the stem convolution
 * @param bnSize bottleneck multiplier (1x1 convolution to bnSize * growthRate)
 */
public record DenseNetVariant(
        String name, int growthRate, List<Integer> blockConfig, int numInitFeatures, int bnSize) {
    /** DenseNet-121. */
    public static final DenseNetVariant DENSENET121 = new DenseNetVariant("densenet121", 32, List.of(6, 12, 24, 16), 64, 4);
    /** DenseNet-169, the paper's network. */
    public static final DenseNetVariant DENSENET169 = new DenseNetVariant("densenet169", 32, List.of(6, 12, 32, 32), 64, 4);
    /** DenseNet-201. */
    public static final DenseNetVariant DENSENET201 = new DenseNetVariant("densenet201", 32, List.of(6, 12, 48, 32), 64, 4);
    /** A tiny DenseNet of the same shape for tests and demos (32 output features). */
    public static final DenseNetVariant TINY = new DenseNetVariant("tiny", 8, List.of(2, 2, 2, 2), 16, 2);
    /** A small network for the demo: learns the synthetic sample's findings from scratch in minutes on 2 cores. */
    public static final DenseNetVariant SMALL = new DenseNetVariant("small", 12, List.of(2, 4, 4, 2), 24, 4);

    /** Validates the numbers; torchvision's layout has exactly four dense blocks. */
    public DenseNetVariant {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("variant name is blank");
        }
        blockConfig = List.copyOf(Objects.requireNonNull(blockConfig, "blockConfig"));
        if (blockConfig.size() != 4 || blockConfig.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("blockConfig needs four positive layer counts: " + blockConfig);
        }
        if (growthRate <= 0 || numInitFeatures <= 0 || bnSize <= 0) {
            throw new IllegalArgumentException("growthRate, numInitFeatures and bnSize must be positive");
        }
    }

    /**
     * A predefined variant by name.
     *
     * @param name densenet121, densenet169, densenet201, small or tiny (case-insensitive)
     * @return the variant
     */
    public static DenseNetVariant named(String name) {
        for (DenseNetVariant v : List.of(DENSENET121, DENSENET169, DENSENET201, TINY, SMALL)) {
            if (v.name.equalsIgnoreCase(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown DenseNet variant: " + name);
    }

    /** @return channels leaving norm5 (1024 for 121, 1664 for 169, 1920 for 201) */
    public int numFeatures() {
        int channels = numInitFeatures;
        for (int i = 0; i < blockConfig.size(); i++) {
            channels += blockConfig.get(i) * growthRate;
            if (i < blockConfig.size() - 1) {
                channels /= 2;
            }
        }
        return channels;
    }
}
