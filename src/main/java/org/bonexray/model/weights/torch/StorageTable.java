package org.bonexray.model.weights.torch;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bonexray.model.weights.format.DType;

/**
 * The storages a pickle refers to, by key, from its {@code ('storage', type, key, location, numel[, view])}
 * persistent ids; the same key must always have the same type and length.
 */
final class StorageTable {
    private final Map<String, StorageRef> roots = new LinkedHashMap<>();

    /** The storage of one persistent id (a view of it, for old legacy files). */
    StorageRef register(Object[] id) {
        if (id.length != 5 && id.length != 6) {
            throw new BadCheckpointException("a storage persistent id has " + id.length + " fields (5 or 6 expected)");
        }
        if (!(id[1] instanceof TorchGlobal type) || type.kind() != TorchGlobal.Kind.STORAGE_TYPE) {
            throw new BadCheckpointException("a storage persistent id names a " + Arguments.describe(id[1])
                    + " as its type");
        }
        DType dtype = type.dtype();
        String key = Arguments.string(id[2], "a storage key");
        long elements = Arguments.number(id[4], "a storage length");
        StorageRef root = new StorageRef(key, dtype, elements, 0, elements);
        StorageRef known = roots.putIfAbsent(key, root);
        if (known != null && !known.equals(root)) {
            throw new BadCheckpointException("storage " + key + " is declared as " + known.dtype() + "["
                    + known.rootElements() + "] and as " + dtype + "[" + elements + "]");
        }
        if (id.length == 6 && id[5] != null) {
            Object[] view = Arguments.tuple(id[5], 3, "a storage view");
            // an old view's key names the view itself; its elements live in the root storage
            return new StorageRef(key, dtype, elements, Arguments.number(view[1], "a view offset"),
                    Arguments.number(view[2], "a view length"));
        }
        return root;
    }

    /** The root storage of a key, or null when no persistent id named it. */
    StorageRef get(String key) {
        return roots.get(key);
    }
}
