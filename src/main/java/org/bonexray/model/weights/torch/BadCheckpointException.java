package org.bonexray.model.weights.torch;

/**
 * A checkpoint is malformed or claims what its bytes do not hold; the reader turns it into a
 * {@link org.bonexray.data.DataException} naming the file.
 */
class BadCheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadCheckpointException(String message) {
        super(message);
    }

    BadCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
