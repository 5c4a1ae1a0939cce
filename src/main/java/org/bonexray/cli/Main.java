package org.bonexray.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bonexray} root command: prints usage; each subcommand is its own class. */
@Command(
        name = "bonexray",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Abnormality detection in upper-extremity radiographs (MURA).",
        description = "Train, evaluate, explain and serve DenseNet classifiers on MURA-format data.",
        subcommands = {
            CommandLine.HelpCommand.class,
            SampleDataCommand.class,
            DatasetCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            EnsembleCommand.class,
            ScoreCommand.class,
            PredictCommand.class,
            ServeCommand.class,
            PacsCommand.class,
            ExplainCommand.class,
            DemoCommand.class,
            ExperimentCommand.class,
            ReportCommand.class,
            WeightsCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            DoctorCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * {@code --verbose} on any command: DJL's and libtorch's start-up lines and the stack trace of a failure. Set
     * while the command line is parsed, before the engine starts, so the logger sees it.
     */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the engine's start-up messages and the stack trace of any failure.")
    void setVerbose(boolean verbose) {
        if (verbose) {
            System.setProperty(ExitCodes.VERBOSE_PROPERTY, "true");
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "info");
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with bonexray's exit-code mapping; tests use this to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ExitCodes.ExceptionHandler());
        cl.setUsageHelpAutoWidth(true);
        // Enum options (bench's --precision, --layout...) read fp32 as FP32, as the string-parsed options do.
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
