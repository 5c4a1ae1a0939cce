package org.bonexray.model.weights.torch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the state dict in an unpickled checkpoint: the object itself when it maps names to tensors; the entry
 * {@code state_dict} (Lightning), {@code model_state_dict}, {@code model}, {@code module} or {@code net} of a
 * training script's dict; or the parameters and persistent buffers of a whole pickled {@code nn.Module}, walked
 * through {@code _modules} as {@code Module.state_dict()} does.
 */
final class StateDictLocator {
    /** Entries of a checkpoint dict that hold the model's weights, in the order they are tried. */
    static final List<String> NESTED_KEYS = List.of("state_dict", "model_state_dict", "model", "module", "net");
    private static final int MAX_DEPTH = 64;

    /**
     * What was found.
     *
     * @param tensors the tensors by key, in order
     * @param notes where they were found, for reports
     * @param moduleClass the top module's class, for whole pickled modules
     */
    record Located(Map<String, TensorRef> tensors, List<String> notes, Optional<String> moduleClass) {
    }

    private StateDictLocator() {
    }

    static Located locate(Object root) {
        List<String> notes = new ArrayList<>();
        Object current = root;
        for (int depth = 0; depth < 3; depth++) {
            if (current instanceof InertObject module) {
                notes.add("a whole pickled module of class " + module.className() + " (read as data; its "
                        + "parameters and buffers make the state dict)");
                Map<String, TensorRef> tensors = new LinkedHashMap<>();
                walk(module, "", tensors, new IdentityHashMap<>(), 0);
                return new Located(tensors, notes, Optional.of(module.className()));
            }
            if (current instanceof Map<?, ?> map && isStateDict(map)) {
                return new Located(tensors(map), notes, Optional.empty());
            }
            if (!(current instanceof Map<?, ?> map)) {
                break;
            }
            String key = NESTED_KEYS.stream().filter(map::containsKey).findFirst().orElse(null);
            if (key == null) {
                throw new BadCheckpointException("no state dict found: the checkpoint is a dict with the keys "
                        + abbreviate(map.keySet()) + " and none of " + NESTED_KEYS + " holds tensors");
            }
            notes.add("the tensors are nested under '" + key + "'");
            current = map.get(key);
        }
        throw new BadCheckpointException("no state dict found: the checkpoint holds a " + Arguments.describe(current));
    }

    /** A map of string keys to tensors only (a state dict); empty maps do not count. */
    private static boolean isStateDict(Map<?, ?> map) {
        return !map.isEmpty() && map.entrySet().stream()
                .allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof TensorRef);
    }

    private static Map<String, TensorRef> tensors(Map<?, ?> map) {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put((String) k, (TensorRef) v));
        return out;
    }

    private static void walk(InertObject module, String prefix, Map<String, TensorRef> out,
                             IdentityHashMap<Object, Boolean> seen, int depth) {
        if (depth > MAX_DEPTH || seen.put(module, Boolean.TRUE) != null) {
            throw new BadCheckpointException("the pickled module's children nest too deep or form a cycle at '"
                    + prefix + "'");
        }
        Map<?, ?> state = module.state();
        Object skipped = state.get("_non_persistent_buffers_set");
        addTensors(state.get("_parameters"), prefix, out, List.of());
        addTensors(state.get("_buffers"), prefix, out, skipped instanceof Collection<?> c ? c : List.of());
        if (state.get("_modules") instanceof Map<?, ?> children) {
            for (Map.Entry<?, ?> child : children.entrySet()) {
                if (child.getValue() instanceof InertObject m) {
                    walk(m, prefix + Arguments.string(child.getKey(), "a module name") + ".", out, seen, depth + 1);
                } else if (child.getValue() != null) {
                    throw new BadCheckpointException("the child '" + child.getKey() + "' of " + module.className()
                            + " is a " + Arguments.describe(child.getValue()));
                }
            }
        }
    }

    private static void addTensors(Object tensors, String prefix, Map<String, TensorRef> out, Collection<?> skipped) {
        if (!(tensors instanceof Map<?, ?> map)) {
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = Arguments.string(e.getKey(), "a parameter name");
            if (e.getValue() instanceof TensorRef t && !skipped.contains(name)) {
                out.put(prefix + name, t);
            } else if (e.getValue() != null && !(e.getValue() instanceof TensorRef)) {
                throw new BadCheckpointException("'" + prefix + name + "' is a " + Arguments.describe(e.getValue()));
            }
        }
    }

    private static String abbreviate(Collection<?> keys) {
        return org.bonexray.model.weights.ImportReport.abbreviate(keys.stream().map(String::valueOf).toList());
    }
}
