package org.bonexray.model.weights.torch;

import java.math.BigInteger;

/** Checked reading of the values a pickle passes to the allowed globals (tuples, numbers, strings). */
final class Arguments {
    private Arguments() {
    }

    /** A tuple of exactly {@code length} items. */
    static Object[] tuple(Object value, int length, String what) {
        if (value instanceof Object[] t && t.length == length) {
            return t;
        }
        throw new BadCheckpointException(what + " is a " + describe(value) + ", not a tuple of " + length);
    }

    /** An integer that fits a long. */
    static long number(Object value, String what) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw new BadCheckpointException(what + " is a " + describe(value) + ", not an integer");
    }

    /** A tuple of integers. */
    static long[] longs(Object value, String what) {
        if (!(value instanceof Object[] items)) {
            throw new BadCheckpointException(what + " is a " + describe(value) + ", not a tuple");
        }
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = number(items[i], what);
        }
        return out;
    }

    /** A string (pickles of Python 2 give byte strings, which Pyrolite decodes to strings too). */
    static String string(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        throw new BadCheckpointException(what + " is a " + describe(value) + ", not a string");
    }

    /** A short description of a value's type, for messages (never its content). */
    static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Object[]) {
            return "tuple";
        }
        if (value instanceof InertObject o) {
            return o.className();
        }
        return value.getClass().getSimpleName();
    }
}
