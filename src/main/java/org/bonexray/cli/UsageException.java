package org.bonexray.cli;

import java.util.function.Supplier;

/**
 * A command line that cannot be run as given: an option out of range, a combination that makes no sense, a value
 * that names nothing. The only exception {@link ExitCodes} turns into exit 2; an {@code IllegalArgumentException}
 * from deeper down (a library, a bug) is a failure with its stack trace on request, not the user's mistake.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Runs a parse or validation of what the user typed, turning its {@code IllegalArgumentException} into a usage
     * error. Keep the work narrow (a parse, a config record built from options), so nothing else is mistaken for one.
     *
     * @param parse the parse
     * @return its result
     */
    public static <T> T of(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
