package org.bonexray.model.weights.format;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a weight file in Java memory: its key, element type, shape and contiguous little-endian bytes.
 * Every reader (safetensors, npz, PyTorch's zip and legacy pickles) produces these; {@link #toNDArray} makes
 * the NDArray the importer consumes.
 *
 * @param key the state-dict key
 * @param dtype element type as stored
 * @param shape dimensions (empty for a scalar)
 * @param data exactly {@code numel * dtype.bytes()} bytes, C order
 */
public record RawTensor(String key, DType dtype, long[] shape, ByteBuffer data) {
    public RawTensor {
        shape = shape.clone();
        long numel = numel(shape);
        if (numel * dtype.bytes() != data.remaining()) {
            throw new IllegalArgumentException("tensor " + key + " of shape " + Arrays.toString(shape) + " needs "
                    + numel * dtype.bytes() + " bytes, has " + data.remaining());
        }
        if (numel > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + key + " has more than 2^31 elements");
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Elements of a shape, refusing negative dimensions and overflow. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Elements of this tensor. */
    public int numel() {
        return (int) numel(shape);
    }

    /** The same tensor under another key. */
    public RawTensor withKey(String newKey) {
        return new RawTensor(newKey, dtype, shape, data);
    }

    /** The values widened (or narrowed, for 64-bit types) to float. */
    public float[] toFloats() {
        return dtype.toFloats(data, numel());
    }

    /** A float32 tensor of the given values. */
    public static RawTensor ofFloats(String key, long[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new RawTensor(key, DType.F32, shape, bytes);
    }

    /**
     * The tensor as an NDArray named by its key: floating-point types become float32 (converted in Java), 64-bit
     * integers stay int64, other integers and booleans become int32.
     */
    public NDArray toNDArray(NDManager manager) {
        Shape s = new Shape(shape);
        NDArray array;
        // always from a Java array: a buffer over a mapped file could be wrapped without a copy and outlive it
        if (dtype.isFloat()) {
            array = manager.create(toFloats(), s);
        } else if (dtype == DType.I64) {
            long[] values = new long[numel()];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
            array = manager.create(values, s);
        } else {
            float[] f = toFloats();
            int[] values = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                values[i] = (int) f[i];
            }
            array = manager.create(values, s);
        }
        array.setName(key);
        return array;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawTensor t && key.equals(t.key) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key + " " + dtype + Arrays.toString(shape);
    }
}
