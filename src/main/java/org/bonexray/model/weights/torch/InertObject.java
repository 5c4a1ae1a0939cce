package org.bonexray.model.weights.torch;

import java.util.Map;

/**
 * An object of an allowed module class (a {@code torch.nn.Module} of a whole pickled model) as inert data: the
 * class's name and the state a BUILD gave it ({@code _parameters}, {@code _buffers}, {@code _modules} and
 * plain attributes). No Python or Java code of the class exists or runs.
 */
final class InertObject implements Buildable {
    private final String className;
    private final boolean anyState;
    private Map<?, ?> state = Map.of();

    /**
     * @param className the class's full name
     * @param anyState whether any BUILD state is accepted (and dropped): data records such as numpy scalars,
     *     whose state is not a {@code __dict__}; modules must have theirs
     */
    InertObject(String className, boolean anyState) {
        this.className = className;
        this.anyState = anyState;
    }

    String className() {
        return className;
    }

    /** The attributes the pickle gave the object (its {@code __dict__}). */
    Map<?, ?> state() {
        return state;
    }

    @Override
    public void build(Object newState) {
        // object.__reduce_ex__ gives the __dict__, or (__dict__, slots) for classes with __slots__
        Object dict = newState instanceof Object[] t && t.length == 2 ? t[0] : newState;
        if (dict instanceof Map<?, ?> m) {
            state = m;
        } else if (dict != null && !anyState) {
            throw new BadCheckpointException("the state of a " + className + " is a " + Arguments.describe(dict));
        }
    }
}
