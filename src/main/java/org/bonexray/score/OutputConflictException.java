package org.bonexray.score;

/** The output folder holds another job's results (or something else); the user decides with {@code --overwrite}. */
public final class OutputConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputConflictException(String message) {
        super(message);
    }
}
