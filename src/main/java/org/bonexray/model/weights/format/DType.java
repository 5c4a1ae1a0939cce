package org.bonexray.model.weights.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The element types a weight file may hold, with their size and their conversion to float32 done in Java:
 * DJL 0.36 aborts the JVM when asked to create a bfloat16 array, so half precisions are widened before any
 * NDArray exists.
 */
public enum DType {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether the type is a floating-point one (weights), as opposed to integers and booleans (counters, masks). */
    public boolean isFloat() {
        return this == F32 || this == F64 || this == F16 || this == BF16;
    }

    /**
     * The type of a safetensors header's {@code dtype} ({@code F32}, {@code BF16}, ...).
     *
     * @throws IllegalArgumentException for types bonexray does not read (complex, float8, unsigned wider than 8 bits)
     */
    public static DType fromSafetensors(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return switch (n) {
            case "F32", "F64", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL" -> valueOf(n);
            default -> throw new IllegalArgumentException("unsupported tensor type " + name);
        };
    }

    /**
     * The element type of a torch storage class ({@code FloatStorage}, {@code BFloat16Storage}, ...), or null when
     * the name is not one of torch's typed storages.
     */
    public static DType fromTorchStorage(String className) {
        return switch (className) {
            case "FloatStorage" -> F32;
            case "DoubleStorage" -> F64;
            case "HalfStorage" -> F16;
            case "BFloat16Storage" -> BF16;
            case "LongStorage" -> I64;
            case "IntStorage" -> I32;
            case "ShortStorage" -> I16;
            case "CharStorage" -> I8;
            case "ByteStorage" -> U8;
            case "BoolStorage" -> BOOL;
            default -> null;
        };
    }

    /** The numpy {@code descr} of the type, as npz files name it ({@code <f4}, {@code <f2}, ...), or null. */
    public static DType fromNumpy(String descr) {
        return switch (descr) {
            case "<f4", "float32" -> F32;
            case "<f8", "float64" -> F64;
            case "<f2", "float16" -> F16;
            case "<i8", "int64" -> I64;
            case "<i4", "int32" -> I32;
            case "<i2", "int16" -> I16;
            case "|i1", "int8" -> I8;
            case "|u1", "uint8" -> U8;
            case "|b1", "bool" -> BOOL;
            default -> null;
        };
    }

    /** {@code count} elements of this type from little-endian {@code data} (from its position on), as floats. */
    public float[] toFloats(ByteBuffer data, int count) {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (this) {
                case F32 -> in.getFloat();
                case F64 -> (float) in.getDouble();
                case F16 -> halfToFloat(in.getShort());
                // bfloat16 is the upper half of a float32
                case BF16 -> Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
                case I64 -> in.getLong();
                case I32 -> in.getInt();
                case I16 -> in.getShort();
                case I8, BOOL -> in.get();
                case U8 -> in.get() & 0xff;
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}); every half value is exact in float. */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
