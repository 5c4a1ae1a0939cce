package org.bonexray.model.weights;

/**
 * Pretrained weights cannot be had or do not fit: not cached while offline, a download that failed or
 * whose checksum is wrong, or a weight file whose keys or shapes do not match the model. The message says
 * what is wrong and what the user can do.
 */
public class WeightsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
