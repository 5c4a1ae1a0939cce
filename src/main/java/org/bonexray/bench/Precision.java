package org.bonexray.bench;

/**
 * Number formats the bench can run the network in: the product's two ({@link org.bonexray.runtime.Precision}) and
 * fp16 weights and inputs (inference only), kept to show it is slower than fp32 on this CPU.
 */
public enum Precision {
    /** 32-bit floats, the project's precision. */
    FP32,
    /** IEEE half precision. */
    FP16,
    /** bfloat16 over fp32 weights, as the product runs it ({@link org.bonexray.runtime.ForwardPass}). */
    BF16;

    /** @return the product's precision this one runs as, or null for fp16 (bench only) */
    public org.bonexray.runtime.Precision product() {
        return switch (this) {
            case FP32 -> org.bonexray.runtime.Precision.FP32;
            case BF16 -> org.bonexray.runtime.Precision.BF16;
            case FP16 -> null;
        };
    }
}
