package org.bonexray.model.weights.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler with every opcode that can reach code or allocate a claimed length taken over.
 *
 * <p>GLOBAL, STACK_GLOBAL and INST resolve names only through {@link TorchGlobal}'s allow-list (never Pyrolite's
 * static constructor registry), so REDUCE, NEWOBJ, NEWOBJ_EX and OBJ can only reach the allowed globals' record
 * builders; BUILD only gives state to {@link Buildable} records (never Pyrolite's reflective
 * {@code __setstate__}); persistent ids must be torch storages (or, in legacy whole-module files, an already
 * allowed module class). Every length-prefixed string, bytes or long is checked against the bytes left before it
 * is allocated, and dicts keep their insertion order. Not thread-safe.
 */
final class SafeUnpickler extends Unpickler {
    private final PickleInput in;
    private final Function<Object[], StorageRef> storages;
    private final Set<String> classes = new TreeSet<>();

    /**
     * @param in the pickle's bytes
     * @param storages turns a {@code ('storage', ...)} persistent id into its storage (and checks it)
     */
    SafeUnpickler(PickleInput in, Function<Object[], StorageRef> storages) {
        this.in = in;
        this.storages = storages;
    }

    /**
     * Reads one pickle.
     *
     * @throws UnsafePickleException when it asks for anything not allowed
     * @throws BadCheckpointException when it is malformed
     */
    Object read() throws IOException {
        try {
            return load(in);
        } catch (BadCheckpointException e) {
            throw e;
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException | NullPointerException
                 | IllegalArgumentException | ArithmeticException e) {
            throw new BadCheckpointException("not a valid pickle (" + e.getMessage() + ")", e);
        }
    }

    /** The allowed module classes the pickle named, sorted. */
    Set<String> moduleClasses() {
        return classes;
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL -> stack.add(resolve(PickleUtils.readline(in), PickleUtils.readline(in)));
            case Opcodes.STACK_GLOBAL -> {
                String name = Arguments.string(stack.pop(), "a STACK_GLOBAL name");
                stack.add(resolve(Arguments.string(stack.pop(), "a STACK_GLOBAL module"), name));
            }
            case Opcodes.INST -> {
                TorchGlobal global = resolve(PickleUtils.readline(in), PickleUtils.readline(in));
                stack.add(global.construct(stack.pop_all_since_marker().toArray()));
            }
            case Opcodes.BUILD -> build();
            case Opcodes.BINPERSID -> stack.add(persistentLoad(stack.pop()));
            case Opcodes.PERSID -> throw new UnsafePickleException("PERSID", "the checkpoint's pickle uses a text "
                    + "persistent id, which torch never writes");
            case Opcodes.EMPTY_DICT -> stack.add(new PickledDict());
            case Opcodes.DICT -> stack.add(dict(stack.pop_all_since_marker(), new PickledDict()));
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                dict(items, map(stack.peek()));
            }
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object k = stack.pop();
                map(stack.peek()).put(k, value);
            }
            case Opcodes.BINUNICODE -> stack.add(utf8(in.readExactly(unsignedInt(), "a string")));
            case Opcodes.BINUNICODE8 -> stack.add(utf8(in.readExactly(longLength(), "a string")));
            case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(in.readExactly(signedInt(), "a string")));
            case Opcodes.BINBYTES -> stack.add(in.readExactly(unsignedInt(), "a bytes value"));
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(in.readExactly(longLength(), "a bytes value"));
            case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(in.readExactly(signedInt(), "an integer")));
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    private TorchGlobal resolve(String module, String name) {
        TorchGlobal global = TorchGlobal.resolve(module, name);
        if (global.kind() == TorchGlobal.Kind.MODULE_CLASS) {
            classes.add(global.fullName());
        }
        return global;
    }

    private void build() {
        Object state = stack.pop();
        Object target = stack.peek();
        if (!(target instanceof Buildable b)) {
            throw new UnsafePickleException("BUILD", "the checkpoint's pickle gives state (BUILD) to a "
                    + Arguments.describe(target) + "; only containers, tensors and module records may take it");
        }
        b.build(state);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        Object[] id = pid instanceof Object[] t && t.length > 0 ? t : null;
        String kind = id == null ? null : Arguments.string(id[0], "a persistent id's kind");
        if ("storage".equals(kind)) {
            return storages.apply(id);
        }
        if ("module".equals(kind) && id.length >= 2 && id[1] instanceof TorchGlobal g
                && g.kind() == TorchGlobal.Kind.MODULE_CLASS) {
            // legacy files save a module class with its source text, which is never looked at
            return g;
        }
        throw new UnsafePickleException("persistent id " + kind, "the checkpoint's pickle loads a persistent id of"
                + " kind '" + kind + "'; only torch storages are read");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> map(Object target) {
        if (target instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new BadCheckpointException("dict items set on a " + Arguments.describe(target));
    }

    private static Map<Object, Object> dict(List<Object> items, Map<Object, Object> into) {
        if (items.size() % 2 != 0) {
            throw new BadCheckpointException("dict items of odd length " + items.size());
        }
        for (int i = 0; i < items.size(); i += 2) {
            into.put(items.get(i), items.get(i + 1));
        }
        return into;
    }

    private long unsignedInt() throws IOException {
        return ByteBuffer.wrap(in.readExactly(4, "a length")).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    }

    private long signedInt() throws IOException {
        return ByteBuffer.wrap(in.readExactly(4, "a length")).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private long longLength() throws IOException {
        return ByteBuffer.wrap(in.readExactly(8, "a length")).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
