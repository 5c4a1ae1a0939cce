package org.bonexray.bench;

import ai.djl.ndarray.types.DataType;

/**
 * Number formats the inference bench can run the network in.
 *
 * <p>{@link #BF16} is here to verify, in a throwaway child process, that bfloat16 still aborts the JVM in this
 * DJL version (ARCHITECTURE.md); never select it in a process whose survival matters.
 */
public enum Precision {
    /** 32-bit floats, the project's precision. */
    FP32(DataType.FLOAT32),
    /** IEEE half precision. */
    FP16(DataType.FLOAT16),
    /** bfloat16. */
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** @return DJL's data type */
    public DataType dataType() {
        return dataType;
    }
}
