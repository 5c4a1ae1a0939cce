package org.bonexray.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The number format a network computes in. Weights, optimizer state, losses and outputs stay fp32 in both; only
 * the work inside the network changes.
 */
public enum Precision {
    /** 32-bit floats throughout. */
    FP32,
    /**
     * bfloat16 convolutions, linear layers and activations over fp32 master weights, as PyTorch's CPU autocast:
     * each step casts the weights, gradients flow back through the casts to the fp32 weights, batch norms keep fp32
     * parameters and running statistics, and the logits come back in fp32 ({@link Bfloat16Casts}).
     */
    BF16;

    /** @return the name on the command line and in JSON: {@code fp32} or {@code bf16} */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code fp32} or {@code bf16}, any case
     * @return the precision
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "': expected fp32 or bf16");
    }
}
