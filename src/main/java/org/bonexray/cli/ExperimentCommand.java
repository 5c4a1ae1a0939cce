package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bonexray.data.MuraIndex;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.experiment.GridPresets;
import org.bonexray.experiment.GridRunner;
import org.bonexray.experiment.GridSpec;
import org.bonexray.experiment.GridSummary;
import org.bonexray.io.StopSignal;
import org.bonexray.report.ReportWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray experiment}: trains and evaluates a grid of configurations and tabulates them. */
@Command(name = "experiment", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Train and evaluate a grid of configurations (the paper's Table 1, MURA's recipe, pretrained starts, or a file).",
        description = {"Each row trains in GRID_DIR/<row>/ and is evaluated on the valid split (study level, mean of "
                + "views, threshold 0.5, bootstrap intervals) into GRID_DIR/<row>/evaluation-valid/. summary.md, "
                + "summary.csv and summary.html are rewritten after every row. Rerunning an interrupted grid skips "
                + "evaluated rows and resumes a row from its checkpoint.",
                "A grid file (YAML or JSON) has: name, preset (standard, demo or small-data), base (settings of every "
                + "row) and rows (each a name plus settings; dotted keys such as optimizer.learningRate allowed; "
                + "tta: flip evaluates the row with test-time augmentation). A row whose training settings equal an "
                + "earlier row's is not trained again: it evaluates that row's model.",
                "Training options (--backbone, --epochs, --image-size, --batch-size, ...) apply on top of every row, "
                + "to shrink a preset for a quick run.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 bad data."})
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    TrainOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--grid", paramLabel = "FILE", description = "Grid file (YAML or JSON).")
        Path file;

        @Option(names = "--preset", paramLabel = "NAME",
                description = "Built-in grid: paper-table1, mura, pretrained-starts (none / imagenet / xray starts), "
                + "recipes (the paper's recipe, then one accuracy tool added per row) or small-data (the paper's "
                + "recipe against the small-data preset, with and without TTA).")
        String preset;
    }

    @Option(names = "--out", required = true, paramLabel = "GRID_DIR", description = "Grid directory (rows, summary).")
    Path out;

    @Option(names = "--xray-weights", paramLabel = "FILE", defaultValue = "${env:BONEXRAY_XRAY_WEIGHTS}",
            description = "torchxrayvision's chest X-ray DenseNet-121 file, for the pretrained-starts grid's xray row "
                    + "(default: $BONEXRAY_XRAY_WEIGHTS).")
    Path xrayWeights;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples of studies for 95%% intervals (0 = none).")
    int bootstrap;

    @Option(names = "--report", description = "Write GRID_DIR/report/index.html when the grid is done.")
    boolean report;

    private GridSpec preset() {
        if (!GridPresets.PRETRAINED_STARTS.equals(source.preset)) {
            return UsageException.of(() -> GridPresets.named(source.preset));
        }
        if (options.pretrained != null || options.normalization != null) {
            throw new UsageException("--pretrained and --normalize would override every row of the "
                    + GridPresets.PRETRAINED_STARTS + " grid, whose rows are those settings");
        }
        return UsageException.of(() -> xrayWeights == null ? GridPresets.named(source.preset)
                : GridPresets.pretrainedStarts(xrayWeights));
    }

    @Override
    public Integer call() {
        StopSignal.install(); // SIGINT/SIGTERM stop at the next safe point (exit 130/143), not mid-step
        PrintWriter w = spec.commandLine().getOut();
        GridSpec grid = source.file != null ? GridSpec.read(source.file) : preset();
        MuraIndex index = data.load(spec.commandLine().getErr());
        BootstrapSettings settings = bootstrap > 0
                ? new BootstrapSettings(bootstrap, BootstrapSettings.DEFAULT_SEED, BootstrapSettings.DEFAULT_CONFIDENCE)
                : BootstrapSettings.none();
        GridRunner runner = new GridRunner(grid, index, out, options::resolve, options.threads(), settings, System.err);
        w.printf("Experiment grid %s: %d rows in %s%n", grid.name(), grid.rows().size(), out.toAbsolutePath());
        w.flush();
        GridSummary summary = runner.run();
        w.println();
        w.println(summary.markdown());
        w.println("Wrote " + out.resolve(GridSummary.MARKDOWN) + ", " + GridSummary.CSV + " and " + GridSummary.HTML);
        w.flush();
        if (report) {
            w.println("Report: " + ReportWriter.writeGridReport(out, System.err));
            w.flush();
        }
        return ExitCodes.OK;
    }
}
