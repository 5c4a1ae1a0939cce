package org.bonexray.train;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Weights averaged beside the trained ones, validated every epoch and kept as the model when they score better:
 * an exponential moving average updated after every step ({@code ema}: {@code avg = decay * avg + (1 - decay) * w},
 * as timm's ModelEma; decay 0 follows the weights, decay 1 keeps the initial ones), or stochastic weight averaging
 * ({@code swa}, Izmailov et al. 2018): the equal-weight mean of the weights at the end of each epoch from
 * {@code startEpoch} on, as {@code torch.optim.swa_utils.AveragedModel}. Batch-norm running statistics are averaged
 * with the weights in both (timm's choice for EMA; for SWA it replaces {@code update_bn}'s extra pass over the
 * training data).
 *
 * @param kind {@code none}, {@code ema} or {@code swa}
 * @param decay ema: the decay per step, in [0, 1]
 * @param startEpoch swa: the first epoch (1-based) whose weights enter the mean, at least 1
 */
public record WeightAveraging(String kind, double decay, int startEpoch) {
    /** The kinds. */
    public static final List<String> KINDS = List.of("none", "ema", "swa");

    /** Checks the kind and its setting. */
    public WeightAveraging {
        kind = Objects.requireNonNullElse(kind, "none").strip().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("weight averaging must be one of " + KINDS + ", got '" + kind + "'");
        }
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1], got " + decay);
        }
        if (kind.equals("swa") && startEpoch < 1) {
            throw new IllegalArgumentException("SWA needs a start epoch >= 1, got " + startEpoch);
        }
    }

    /** An exponential moving average with this decay per step. */
    public static WeightAveraging ema(double decay) {
        return new WeightAveraging("ema", decay, 0);
    }

    /** Stochastic weight averaging of the epochs from {@code startEpoch} on. */
    public static WeightAveraging swa(int startEpoch) {
        return new WeightAveraging("swa", 0, startEpoch);
    }

    /** Whether nothing is averaged. */
    @com.fasterxml.jackson.annotation.JsonIgnore // derived, not a setting
    public boolean isOff() {
        return kind.equals("none");
    }
}
