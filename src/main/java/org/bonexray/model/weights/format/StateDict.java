package org.bonexray.model.weights.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tensors of a weight file by key, in file order, with what the reader learnt on the way: the format, where
 * in the file the tensors were found, and, for a whole pickled {@code nn.Module}, the classes it named.
 */
public final class StateDict {
    private final Map<String, RawTensor> tensors;
    private final WeightsFormat format;
    private final List<String> notes;
    private final Optional<String> moduleClass;

    /**
     * @param tensors the tensors, keys unique
     * @param format the file's format
     * @param notes how the tensors were found (nesting, prefixes, conversions), for reports
     * @param moduleClass the top-level class of a whole pickled module, when the file is one
     */
    public StateDict(Collection<RawTensor> tensors, WeightsFormat format, List<String> notes, Optional<String> moduleClass) {
        Map<String, RawTensor> byKey = new LinkedHashMap<>();
        for (RawTensor t : tensors) {
            if (byKey.put(t.key(), t) != null) {
                throw new IllegalArgumentException("the key '" + t.key() + "' appears twice");
            }
        }
        this.tensors = Collections.unmodifiableMap(byKey);
        this.format = format;
        this.notes = List.copyOf(notes);
        this.moduleClass = moduleClass;
    }

    /** The tensors by key, in file order. */
    public Map<String, RawTensor> tensors() {
        return tensors;
    }

    public WeightsFormat format() {
        return format;
    }

    public List<String> notes() {
        return notes;
    }

    public Optional<String> moduleClass() {
        return moduleClass;
    }

    /** Number of elements over all tensors. */
    public long elementCount() {
        return tensors.values().stream().mapToLong(RawTensor::numel).sum();
    }

    /** The same file with other tensors and further notes. */
    public StateDict with(Collection<RawTensor> newTensors, List<String> moreNotes) {
        List<String> all = new ArrayList<>(notes);
        all.addAll(moreNotes);
        return new StateDict(newTensors, format, all, moduleClass);
    }
}
