package org.bonexray.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.MetricsTable;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.StopSignal;
import org.bonexray.runtime.EngineFacts;
import org.bonexray.runtime.Precision;
import org.bonexray.score.OutputConflictException;
import org.bonexray.score.ScoreInputs;
import org.bonexray.score.ScoreJob;
import org.bonexray.score.ScoreSettings;
import org.bonexray.score.SparkSessions;
import org.bonexray.score.ScoreTables;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray score}: scores a MURA tree or a list of images on Apache Spark, embedded or under spark-submit. */
@Command(name = "score", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Score an archive of radiographs on Apache Spark: per-image and per-study tables, restartable.",
        description = {"Reads a MURA-format tree (--data) or a CSV/Parquet list with a 'path' column (--list; optional "
                + "study, body_part and label columns; local paths or any Hadoop file system URI) and writes to --out: "
                + "images/, studies/ and errors/ as Parquet (and csv/ with --csv), each row with the model's id.",
                "Runs embedded (--master local[N], no cluster needed) or under spark-submit (docs/SPARK.md). The input "
                + "is split into parts by study; each finished part is kept, so rerunning the same command after a "
                + "stop or crash scores only what is left. An output made by another job is refused unless --overwrite.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 bad data, 130/143 stopped."})
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    /** One of: a MURA tree, or a list of images. */
    static final class Inputs {
        @ArgGroup(exclusive = false, multiplicity = "1")
        DataOptions tree;

        @Option(names = "--list", paramLabel = "FILE|URI",
                description = "CSV (with a header) or Parquet list of images: a 'path' column, optionally study, "
                        + "body_part and label (0/1); missing ones follow from MURA-style paths.")
        String list;
    }

    @Option(names = "--split", defaultValue = "valid", description = "Split of --data to score: valid or train.")
    String split;

    @Option(names = "--model", required = true, paramLabel = "DIR|URI", description = "Model directory (a run's model/).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR|URI", description = "Output folder (local or a Hadoop URI).")
    String out;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "local[N]",
            description = "Spark master of the embedded run (ignored under spark-submit, which sets its own).")
    String master;

    @Option(names = "--parts", defaultValue = "0", paramLabel = "N",
            description = "Parts the input is split into, by study (0 = about 256 images each); the unit a rerun skips.")
    int parts;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass.")
    int batchSize;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = "Arithmetic inside the network: auto (bf16 where the device has bf16 units, else fp32), fp32 or bf16.")
    String precision;

    @Mixin
    DeviceOption device;

    @Option(names = "--aggregation", defaultValue = "mean", paramLabel = "mean|max", description = "Study probability from its images'.")
    String aggregation;

    @Option(names = "--threshold", paramLabel = "VALUE", description = "Decision threshold for every body part (default: "
            + "the model's own, with its per-body-part thresholds where it has them, as predict and serve decide).")
    Double threshold;

    @Mixin
    TtaOption tta;

    @Option(names = "--csv", description = "Also write the tables as CSV under OUT/csv/.")
    boolean csv;

    @Option(names = "--overwrite", description = "Replace an output folder made by another job (other model or inputs).")
    boolean overwrite;

    @Option(names = "--ship-model", description = "Ship the model folder with the job (for a cluster whose nodes do "
            + "not mount it; on by default when --master is not local).")
    Boolean shipModel;

    @Option(names = "--evaluate", description = "Also compute evaluate's metrics and bootstrap intervals (OUT/metrics.json); "
            + "needs labels and body parts.")
    boolean evaluate;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples for --evaluate's 95%% intervals (0 = none).")
    int bootstrap;

    @Override
    public Integer call() {
        StopSignal.install();
        Device[] devices = device.resolve();
        ScoreSettings settings = settings(model, devices[0], precision, aggregation, threshold, batchSize, parts, out, csv,
                overwrite, master, shipModel != null ? shipModel : !SparkSessions.isLocal(SparkSessions.effectiveMaster(master)),
                evaluate ? bootstrap(bootstrap) : null, tta.resolve());
        System.err.println(EngineFacts.startLine(devices, settings.precision()));
        PrintWriter w = spec.commandLine().getOut();
        ScoreJob.Outcome outcome = run(settings, spark -> inputs.list != null ? ScoreInputs.fromList(spark, inputs.list)
                : ScoreInputs.fromIndex(spark, index(), EvaluateCommand.parseSplit(split)));
        w.printf("Scored %d images of %d studies; %d unreadable (listed in %s). Parts: %d scored now, %d earlier.%n",
                outcome.images(), outcome.studies(), outcome.errors(), out + "/" + ScoreTables.ERRORS,
                outcome.partsScored(), outcome.partsSkipped());
        w.printf("Tables: %s/%s, %s/%s, %s/%s (Parquet)%s%n", out, ScoreTables.IMAGES, out, ScoreTables.STUDIES, out,
                ScoreTables.ERRORS, csv ? " and " + out + "/csv/" : "");
        if (outcome.evaluation() != null) {
            w.println(MetricsTable.render(outcome.evaluation()));
            w.println("Wrote " + out + "/metrics.json");
        }
        w.flush();
        return ExitCodes.OK;
    }

    private MuraIndex index() {
        return inputs.tree.load(spec.commandLine().getErr());
    }

    /** Runs a job, turning a refused output folder into a usage error. */
    static ScoreJob.Outcome run(ScoreSettings settings, java.util.function.Function<SparkSession, Dataset<Row>> inputs) {
        try {
            return new ScoreJob(settings, System.err).run(inputs);
        } catch (OutputConflictException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The job's settings from command-line words (shared with {@code evaluate --engine spark}). */
    static ScoreSettings settings(String model, Device device, String precision, String aggregation, Double threshold,
                                  int batchSize, int parts, String out, boolean csv, boolean overwrite, String master,
                                  boolean ship, BootstrapSettings evaluation, TestTimeAugmentation tta) {
        Precision resolved = UsageException.of(() -> Precision.parse(precision)).resolve(device);
        return UsageException.of(() -> new ScoreSettings(model, ship, device.getDeviceType(), device.getDeviceId(),
                resolved, StudyAggregation.parse(aggregation), threshold, batchSize, parts, out, csv, overwrite, master,
                evaluation, tta));
    }

    static BootstrapSettings bootstrap(int resamples) {
        return resamples > 0
                ? new BootstrapSettings(resamples, BootstrapSettings.DEFAULT_SEED, BootstrapSettings.DEFAULT_CONFIDENCE)
                : BootstrapSettings.none();
    }
}
