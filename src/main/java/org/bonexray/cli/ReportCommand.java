package org.bonexray.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bonexray.report.ReportWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bonexray report}: one self-contained HTML report of a run or of an experiment grid. */
@Command(name = "report", mixinStandardHelpOptions = true,
        header = "Write a self-contained HTML report of a training run or an experiment grid.",
        description = {"Writes report/index.html in the run or grid directory, with every figure embedded (readable "
                + "offline, nothing fetched) and the figures also as PNG files in report/: dataset composition, sample "
                + "studies, fit curves, ROC curves, per-body-part table and bars, confusion matrices, calibration, the "
                + "experiment table and the run's provenance.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 bad data."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--run", paramLabel = "DIR", description = "A training or demo run directory (with evaluation-valid/ if present).")
        Path run;

        @Option(names = "--grid", paramLabel = "DIR", description = "An experiment grid directory.")
        Path grid;
    }

    @Override
    public Integer call() {
        Path index = target.run != null ? ReportWriter.writeRunReport(target.run, System.err)
                : ReportWriter.writeGridReport(target.grid, System.err);
        spec.commandLine().getOut().println("Report: " + index.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
