package org.bonexray.serve;

/**
 * A request refused with an HTTP status and a stable error code; the message is written for the client and
 * must never contain uploaded content.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /**
     * Sets the {@code Retry-After} a 503 answer carries (1 s unless set).
     *
     * @param seconds whole seconds, at least 1
     * @return this exception
     */
    public ApiException retryAfter(long seconds) {
        this.retryAfterSeconds = Math.max(1, seconds);
        return this;
    }

    /** @return the seconds a client should wait before retrying, 1 unless set */
    public long retryAfterSeconds() {
        return Math.max(1, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
