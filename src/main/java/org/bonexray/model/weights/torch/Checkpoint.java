package org.bonexray.model.weights.torch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import org.bonexray.model.weights.format.WeightsFormat;

/**
 * An opened PyTorch checkpoint: the unpickled object (dicts, lists, tuples, scalars, {@link TensorRef}s,
 * {@link InertObject}s) and the means to read the storages its tensors live in. Close it.
 */
final class Checkpoint implements Closeable {
    /** Reads the root storages of some keys, each as its exact bytes. */
    interface StorageReader {
        Map<String, ByteBuffer> read(Set<String> keys) throws IOException;
    }

    private final Object root;
    private final Set<String> moduleClasses;
    private final WeightsFormat format;
    private final StorageReader storages;
    private final Closeable resource;

    Checkpoint(Object root, Set<String> moduleClasses, WeightsFormat format, StorageReader storages, Closeable resource) {
        this.root = root;
        this.moduleClasses = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(moduleClasses));
        this.format = format;
        this.storages = storages;
        this.resource = resource;
    }

    Object root() {
        return root;
    }

    Set<String> moduleClasses() {
        return moduleClasses;
    }

    WeightsFormat format() {
        return format;
    }

    /** The bytes of the root storages with these keys (read once: legacy files are read front to back). */
    Map<String, ByteBuffer> storages(Set<String> keys) throws IOException {
        return storages.read(keys);
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
