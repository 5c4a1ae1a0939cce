package org.bonexray.train.optim;

/**
 * AdamW as {@code torch.optim.AdamW}: the weight is first shrunk by {@code 1 - lr * weightDecay}
 * (decoupled decay), then Adam's update is applied with the raw gradient.
 */
public class AdamW extends Adam {
    AdamW(Builder builder) {
        super(builder, true);
    }

    /** A builder with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, weight decay 1e-2). */
    public static Builder builder() {
        return new Builder(true).optWeightDecay(1e-2);
    }
}
