package org.bonexray.model.weights.torch;

/**
 * A checkpoint's pickle asks for something bonexray does not allow: a global outside the allow-list (the classic
 * {@code posix.system}), a BUILD on anything but a container, a persistent id that is not a storage. Nothing it
 * names has been called; the message names what was refused.
 */
final class UnsafePickleException extends BadCheckpointException {
    private static final long serialVersionUID = 1L;
    private final String refused;

    UnsafePickleException(String refused, String message) {
        super(message);
        this.refused = refused;
    }

    /** What was refused, for example {@code posix.system}. */
    String refused() {
        return refused;
    }
}
