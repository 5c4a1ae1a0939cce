package org.bonexray.cli;

import java.io.UncheckedIOException;
import org.bonexray.data.DataException;
import org.bonexray.model.weights.WeightsException;
import picocli.CommandLine;

/**
 * The exit codes of every command, in one place: 0 ok, 1 failure, 2 bad usage (picocli's defaults),
 * 3 bad data (a dataset or image the user pointed at is unusable; the message says which file and why).
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int BAD_DATA = 3;

    private ExitCodes() {
    }

    /** Turns exceptions into one readable line on stderr and an exit code; stack traces only with BONEXRAY_DEBUG. */
    static final class ExceptionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            boolean debug = System.getenv("BONEXRAY_DEBUG") != null;
            if (ex instanceof DataException) {
                cl.getErr().println("bonexray: bad data: " + ex.getMessage());
                if (debug) {
                    ex.printStackTrace(cl.getErr());
                }
                return BAD_DATA;
            }
            if (ex instanceof IllegalArgumentException) {
                cl.getErr().println("bonexray: " + ex.getMessage());
                return USAGE;
            }
            if (ex instanceof WeightsException || ex instanceof IllegalStateException) {
                cl.getErr().println("bonexray: " + ex.getMessage());
                return FAILURE;
            }
            if (ex instanceof UncheckedIOException) {
                cl.getErr().println("bonexray: I/O error: " + ex.getMessage());
                return FAILURE;
            }
            cl.getErr().println("bonexray: " + ex);
            if (debug) {
                ex.printStackTrace(cl.getErr());
            } else {
                cl.getErr().println("(set BONEXRAY_DEBUG=1 for the stack trace)");
            }
            return FAILURE;
        }
    }
}
