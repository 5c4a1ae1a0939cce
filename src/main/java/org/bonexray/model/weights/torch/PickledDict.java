package org.bonexray.model.weights.torch;

import java.util.LinkedHashMap;

/**
 * A pickled dict or {@code collections.OrderedDict}, in insertion order (Python's dicts keep it, and so must
 * the state-dict keys). A BUILD on it (a state dict's {@code _metadata} attribute) is accepted and ignored.
 */
final class PickledDict extends LinkedHashMap<Object, Object> implements Buildable {
    private static final long serialVersionUID = 1L;

    @Override
    public void build(Object state) {
        // attributes such as _metadata (per-module versions) carry no weights
    }
}
