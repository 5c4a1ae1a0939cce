package org.bonexray.model;

import java.util.Objects;

/**
 * Everything needed to build and initialise an {@link AbnormalityNet} the same way twice.
 *
 * @param variant the DenseNet backbone
 * @param head the classifier head
 * @param init how weights start (head always; backbone too unless pretrained weights replace it)
 * @param seed random seed for initialisation
 * @param inputSize side of the square input images, in pixels (at least 32; DenseNet downsamples by 32)
 */
public record ModelSpec(DenseNetVariant variant, HeadSpec head, Initialization init, long seed, int inputSize) {
    /** Validates the parts and the input size. */
    public ModelSpec {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(init, "init");
        if (inputSize < 32) {
            throw new IllegalArgumentException("inputSize must be at least 32: " + inputSize);
        }
    }
}
