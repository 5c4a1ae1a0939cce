package org.bonexray.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a bonexray command in-process and keeps its exit code, stdout and stderr. */
final class CommandRunner {
    final int exitCode;
    final String out;
    final String err;

    private CommandRunner(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CommandRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CommandRunner(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
    }
}
