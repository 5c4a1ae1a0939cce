package org.bonexray.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.bonexray.data.DataException;
import org.bonexray.io.StopSignal;
import org.bonexray.model.weights.WeightsException;
import picocli.CommandLine;

/**
 * The exit codes of every command, in one place: 0 ok, 1 failure, 2 bad usage (picocli's own, and
 * {@link UsageException}), 3 bad data (a dataset or image the user pointed at is unusable; the message says which
 * file and why), 130 and 143 for a command stopped by SIGINT or SIGTERM at a safe point.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int BAD_DATA = 3;
    public static final int INTERRUPTED = StopSignal.SIGINT_EXIT;
    public static final int TERMINATED = StopSignal.SIGTERM_EXIT;
    /** Set by {@code --verbose}: stack traces of failures and the engine's start-up lines. */
    static final String VERBOSE_PROPERTY = "bonexray.verbose";

    private ExitCodes() {
    }

    /** @return whether failures print their stack traces ({@code --verbose} or {@code BONEXRAY_DEBUG} set) */
    static boolean verbose() {
        return Boolean.getBoolean(VERBOSE_PROPERTY) || System.getenv("BONEXRAY_DEBUG") != null;
    }

    /** Turns exceptions into one readable line on stderr and an exit code; stack traces when verbose. */
    static final class ExceptionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            PrintWriter err = cl.getErr();
            StopSignal.Stopped stopped = stoppedIn(ex);
            int code;
            if (stopped != null) {
                err.println("bonexray: " + stopped.getMessage());
                code = stopped.exitCode();
            } else if (ex instanceof DataException) {
                err.println("bonexray: bad data: " + ex.getMessage());
                code = BAD_DATA;
            } else if (ex instanceof UsageException) {
                err.println("bonexray: " + ex.getMessage());
                err.println("(see bonexray " + cl.getCommandName() + " --help)");
                code = USAGE;
            } else if (ex instanceof WeightsException || ex instanceof IllegalStateException
                    || ex instanceof IllegalArgumentException) {
                err.println("bonexray: " + ex.getMessage());
                code = FAILURE;
            } else if (ex instanceof UncheckedIOException) {
                err.println("bonexray: I/O error: " + ex.getMessage());
                code = FAILURE;
            } else {
                err.println("bonexray: " + ex);
                code = FAILURE;
            }
            if (verbose()) {
                ex.printStackTrace(err);
            } else if (code == FAILURE) {
                err.println("(run with --verbose, or BONEXRAY_DEBUG=1, for the stack trace)");
            }
            err.flush();
            return code;
        }

        /** A stop may reach the top wrapped (a worker thread's exception, a stream's). */
        private static StopSignal.Stopped stoppedIn(Throwable ex) {
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (t instanceof StopSignal.Stopped s) {
                    return s;
                }
            }
            return null;
        }
    }
}
