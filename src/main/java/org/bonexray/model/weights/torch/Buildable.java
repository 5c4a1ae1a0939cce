package org.bonexray.model.weights.torch;

/** An object a pickle's BUILD opcode may give state to; bonexray records the state and runs nothing. */
interface Buildable {
    /** Takes the state of a BUILD opcode as data. */
    void build(Object state);
}
