package org.bonexray.pacs.dicomweb;

/** A PACS request failed; {@link #kind()} says whether trying again later can help. */
public final class PacsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Kind {
        /** Network failure, timeout or server-side error after every retry: try again later. */
        UNAVAILABLE,
        /** The server refused the request (4xx other than 408/429): the same request will fail again. */
        REFUSED,
        /** The answer broke the protocol (bad multipart or JSON, over the size limit). */
        MALFORMED,
        /** A stop was requested while waiting to retry. */
        STOPPED
    }

    private final Kind kind;
    private final int status;

    public PacsException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public PacsException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the last answer, 0 when there was none. */
    public int status() {
        return status;
    }

    /** Whether a later attempt may succeed (the PACS was down or overloaded). */
    public boolean transientFailure() {
        return kind == Kind.UNAVAILABLE || kind == Kind.STOPPED;
    }
}
