package org.bonexray.serve;

/**
 * A request refused with an HTTP status and a stable error code; the message is written for the client and
 * must never contain uploaded content.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
