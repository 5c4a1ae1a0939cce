package org.bonexray.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The fully connected head on top of the pooled DenseNet features (the paper's 1 to 3 layers).
 *
 * <p>Each hidden layer is Linear, then BatchNorm1d if {@code batchNorm}, ReLU, then Dropout if
 * {@code dropout > 0}; a final Linear gives one logit.
 *
 * @param hiddenWidths widths of the hidden layers, 0 to 3 entries
 * @param batchNorm whether hidden layers have batch normalisation
 * @param dropout dropout probability after each hidden layer, in [0, 1)
 */
public record HeadSpec(List<Integer> hiddenWidths, boolean batchNorm, double dropout) {
    /** The paper's dropout. */
    public static final double DEFAULT_DROPOUT = 0.2;
    /** Most hidden layers allowed. */
    public static final int MAX_HIDDEN = 3;

    /** Validates widths and the dropout probability. */
    public HeadSpec {
        hiddenWidths = List.copyOf(Objects.requireNonNull(hiddenWidths, "hiddenWidths"));
        if (hiddenWidths.size() > MAX_HIDDEN) {
            throw new IllegalArgumentException("at most " + MAX_HIDDEN + " hidden layers: " + hiddenWidths);
        }
        if (hiddenWidths.stream().anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("hidden widths must be positive: " + hiddenWidths);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        }
    }

    /**
     * JSON creator where missing fields take defaults (no hidden layer, batch norm on, dropout 0.2).
     *
     * @param hiddenWidths widths, or null for none
     * @param batchNorm batch norm switch, or null for true
     * @param dropout probability, or null for 0.2
     * @return the spec
     */
    @JsonCreator
    public static HeadSpec fromJson(
            @JsonProperty("hiddenWidths") List<Integer> hiddenWidths,
            @JsonProperty("batchNorm") Boolean batchNorm,
            @JsonProperty("dropout") Double dropout) {
        return new HeadSpec(
                hiddenWidths == null ? List.of() : hiddenWidths,
                batchNorm == null || batchNorm,
                dropout == null ? DEFAULT_DROPOUT : dropout);
    }

    /**
     * Hidden layers with batch norm and the default dropout.
     *
     * @param hiddenWidths widths, 0 to 3
     * @return the spec
     */
    public static HeadSpec of(Integer... hiddenWidths) {
        return new HeadSpec(List.of(hiddenWidths), true, DEFAULT_DROPOUT);
    }

    /** @return a single Linear to one logit */
    public static HeadSpec linear() {
        return new HeadSpec(List.of(), false, DEFAULT_DROPOUT);
    }
}
