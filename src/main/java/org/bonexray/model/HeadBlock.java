package org.bonexray.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.List;

/**
 * The classifier head built from a {@link HeadSpec}: children fc1, bn1, relu1, drop1, ..., out.
 *
 * <p>Input (N, features), output (N, 1) logits. {@code out} is the last Linear, whose weights a class
 * activation map multiplies with the feature maps.
 */
public final class HeadBlock extends NamedSequentialBlock {
    private final HeadSpec spec;

    /**
     * A head.
     *
     * @param spec the layers
     */
    public HeadBlock(HeadSpec spec) {
        this.spec = spec;
        List<Integer> widths = spec.hiddenWidths();
        for (int i = 0; i < widths.size(); i++) {
            int n = i + 1;
            add("fc" + n, Linear.builder().setUnits(widths.get(i)).build());
            if (spec.batchNorm()) {
                add("bn" + n, new BatchNormBlock(widths.get(i)));
            }
            add("relu" + n, Activation.reluBlock());
            if (spec.dropout() > 0) {
                add("drop" + n, Dropout.builder().optRate((float) spec.dropout()).build());
            }
        }
        add("out", Linear.builder().setUnits(1).build());
    }

    /** @return the spec this head was built from */
    public HeadSpec spec() {
        return spec;
    }

    /** @return the final Linear producing the logit */
    public Block outputLayer() {
        return child("out").orElseThrow();
    }
}
