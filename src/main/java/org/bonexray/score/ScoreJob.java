package org.bonexray.score;

import static org.apache.spark.sql.functions.col;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.bonexray.data.DataException;
import org.bonexray.eval.ChosenThreshold;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.model.ModelArtifact;

/**
 * Runs a scoring job: reads the inputs into a Spark table, checks the output against the job that made it (a rerun
 * continues it, skipping finished parts; another job's output is refused unless told to overwrite), scores the
 * pending parts on the executors, derives the result tables and, when asked, the metrics. A stop request cancels
 * the Spark job; the parts finished by then stay done.
 */
public final class ScoreJob {
    /** Images per part when the user does not choose: small enough for a rerun to lose little, large enough to batch. */
    static final int IMAGES_PER_PART = 256;
    static final String META = "_bonexray";

    /**
     * What a job did.
     *
     * @param images images scored (in all parts, this run's and earlier ones')
     * @param errors unreadable images listed in the errors table
     * @param studies studies in the studies table
     * @param partsSkipped parts an earlier run had finished
     * @param partsScored parts this run scored
     * @param job the job's manifest
     * @param evaluation the metrics, when asked for
     */
    public record Outcome(long images, long errors, long studies, int partsSkipped, int partsScored, JobManifest job,
                          EvaluationResult evaluation) {
    }

    private final ScoreSettings settings;
    private final PrintStream log;
    /** The thresholds of this job's studies, decided when it starts. */
    private ChosenThreshold decision;

    public ScoreJob(ScoreSettings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * @param inputs reads the input table ({@link ScoreInputs}) in the job's session
     * @return what was done
     */
    public Outcome run(Function<SparkSession, Dataset<Row>> inputs) {
        boolean embedded = !SparkSessions.underSparkSubmit();
        int slots = embedded ? SparkSessions.localSlots(settings.master()) : 0;
        Engine.getEngine("PyTorch");
        int threads = JniUtils.getNumThreads();
        if (slots > 1) {
            // N tasks share this JVM's cores: each forward pass gets its share, not all of them N times over.
            JniUtils.setNumThreads(Math.max(1, threads / slots));
        }
        SparkSession spark = SparkSessions.start(settings.master());
        try {
            return run(spark, inputs.apply(spark).cache());
        } finally {
            if (embedded) {
                spark.stop();
                ExecutorModels.closeAll();
            }
            JniUtils.setNumThreads(threads);
        }
    }

    private Outcome run(SparkSession spark, Dataset<Row> inputs) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        JobManifest.Fingerprint fingerprint = JobManifest.Fingerprint.of(inputs);
        if (fingerprint.images() == 0) {
            throw new DataException(java.nio.file.Path.of(settings.out()), "the input lists no image");
        }
        java.nio.file.Path modelDir = driverModelFolder();
        decision = decision(settings.threshold(), ModelArtifact.readDescription(modelDir));
        double threshold = decision.value();
        int parts = settings.parts() > 0 ? settings.parts()
                : (int) Math.max(2L * spark.sparkContext().defaultParallelism(),
                        Math.min(100_000, (fingerprint.images() + IMAGES_PER_PART - 1) / IMAGES_PER_PART));
        JobManifest job = new JobManifest(JobManifest.FORMAT, ModelArtifact.id(modelDir), fingerprint.images(),
                fingerprint.value(), parts, settings.precision().label(),
                settings.aggregation().name().toLowerCase(Locale.ROOT), threshold, settings.tta().label());
        Path partsDir = new Path(settings.out(), META + "/parts");
        prepareOutput(job, conf);
        Set<Integer> done = finishedParts(partsDir, conf);
        List<Integer> pending = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            if (!done.contains(p)) {
                pending.add(p);
            }
        }
        log.printf("score: %d images in %d parts (%d finished earlier), model %s, %s, %s%n", fingerprint.images(), parts,
                done.size(), job.modelId(), job.precision(), spark.sparkContext().master());
        if (!pending.isEmpty()) {
            scoreParts(spark, inputs.withColumn("part", JobManifest.partOf(parts)), pending, partsDir.toString());
        }
        return tables(spark, job, partsDir.toString(), conf, parts - pending.size(), pending.size());
    }

    /** Refuses another job's output, unless told to overwrite it; records this job's manifest. */
    private void prepareOutput(JobManifest job, Configuration conf) {
        Path out = new Path(settings.out());
        Path manifestFile = new Path(out, META + "/job.json");
        JobManifest earlier = JobManifest.read(manifestFile, conf);
        List<String> diffs = earlier == null ? List.of() : job.differences(earlier);
        boolean foreign = earlier == null && !HadoopFiles.list(out, conf).isEmpty();
        if (!diffs.isEmpty() || foreign) {
            String what = foreign ? "it holds files that are not a bonexray score output"
                    : "it was made by another job: " + String.join("; ", diffs);
            if (!settings.overwrite()) {
                throw new OutputConflictException("refusing to write into " + out + ": " + what
                        + " (choose another --out, or --overwrite to replace it)");
            }
            log.println("score: replacing " + out + " (" + what + ")");
            HadoopFiles.deleteRecursively(out, conf);
        }
        if (earlier == null || !diffs.isEmpty() || foreign) {
            job.write(manifestFile, conf);
        }
    }

    private static Set<Integer> finishedParts(Path partsDir, Configuration conf) {
        Set<Integer> done = new HashSet<>();
        for (String name : HadoopFiles.list(partsDir, conf)) {
            if (name.startsWith(".") && name.endsWith(".tmp")) {
                HadoopFiles.deleteRecursively(new Path(partsDir, name), conf); // a stopped attempt's temporary file
            } else if (name.matches("part-\\d{5,}\\.jsonl")) {
                done.add(Integer.parseInt(name.substring(5, name.length() - 6)));
            }
        }
        return done;
    }

    /** Scores the pending parts of {@code inputs} (which carry their part in a {@code part} column). */
    private void scoreParts(SparkSession spark, Dataset<Row> inputs, List<Integer> pending, String partsDir) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ModelSource source = ModelSource.prepare(settings.model(), settings.shipModel(), jsc);
        LongAccumulator scored = spark.sparkContext().longAccumulator("images scored");
        LongAccumulator errors = spark.sparkContext().longAccumulator("images unreadable");
        Dataset<Row> rows = inputs.where(col("part").isin(pending.toArray()));
        long total = rows.count();
        Progress progress = new Progress(log, "score", total, "img");
        ScoreProgress listener = new ScoreProgress(progress, scored, errors);
        spark.sparkContext().addSparkListener(listener);
        Thread watcher = stopWatcher(jsc);
        try {
            rows.javaRDD().keyBy(r -> r.<Integer>getAs("part")).partitionBy(new PartPartitioner(pending))
                    .foreachPartition(new PartScorer(source, settings.deviceType(), settings.deviceId(),
                            settings.precision(), settings.batchSize(), partsDir, new ArrayList<>(pending), scored, errors,
                            settings.tta()));
        } catch (Exception e) { // Spark's SparkException is checked in Java's eyes, yet not declared
            StopSignal.checkpoint(); // a cancelled job is a stop request: say so, not "job failed"
            throw e;
        } finally {
            watcher.interrupt();
            spark.sparkContext().removeSparkListener(listener);
        }
        progress.finish();
    }

    /** Cancels the Spark job when SIGINT/SIGTERM arrives; finished parts keep their files. */
    private static Thread stopWatcher(JavaSparkContext jsc) {
        StopSignal signal = StopSignal.current();
        Thread t = new Thread(() -> {
            if (!signal.await(Duration.ofDays(365)) && signal.requested()) {
                jsc.cancelAllJobs();
            }
        }, "bonexray-score-stop");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Outcome tables(SparkSession spark, JobManifest job, String partsDir, Configuration conf, int skipped,
                           int scoredParts) {
        Dataset<Row> parts = ScoreTables.parts(spark, partsDir).cache();
        Dataset<Row> images = ScoreTables.images(parts, job.modelId());
        Dataset<Row> errors = ScoreTables.errors(parts);
        Dataset<Row> studies = ScoreTables.withSpread(
                ScoreTables.studies(images, settings.aggregation(), decision, job.modelId()), parts,
                settings.aggregation());
        ScoreTables.write(images, settings.out(), ScoreTables.IMAGES, settings.csv(), conf);
        ScoreTables.write(studies, settings.out(), ScoreTables.STUDIES, settings.csv(), conf);
        ScoreTables.write(errors, settings.out(), ScoreTables.ERRORS, settings.csv(), conf);
        HadoopFiles.deleteRecursively(new Path(settings.out(), META + "/staging"), conf);
        Dataset<Row> written = spark.read().parquet(new Path(settings.out(), ScoreTables.IMAGES).toString());
        EvaluationResult evaluation = settings.evaluation() == null ? null
                : ScoreEvaluation.evaluate(written, settings.aggregation(), decision, settings.evaluation(),
                        settings.out(), job, conf);
        long errorCount = spark.read().parquet(new Path(settings.out(), ScoreTables.ERRORS).toString()).count();
        long studyCount = spark.read().parquet(new Path(settings.out(), ScoreTables.STUDIES).toString()).count();
        parts.unpersist();
        return new Outcome(written.count(), errorCount, studyCount, skipped, scoredParts, job, evaluation);
    }

    /**
     * The thresholds the studies are decided by: the given one for every body part, else the model's own, with its
     * per-part thresholds where it has them (as {@code predict} and {@code serve} decide).
     */
    static ChosenThreshold decision(Double given, ModelArtifact.Description model) {
        if (given != null) {
            return ThresholdChoice.fixed(given).choose(List.of());
        }
        String words = String.format(Locale.ROOT, "the model's own threshold %s%s: abnormal when p > threshold",
                model.threshold(), model.partThresholds().isEmpty() ? "" : ", with its own for " + model.partThresholds());
        return new ChosenThreshold(model.threshold(), ThresholdChoice.Method.FIXED, 0, null, words,
                model.partThresholds());
    }

    /** The model folder as the driver reads it (a Hadoop URI is copied locally first). */
    private java.nio.file.Path driverModelFolder() {
        ModelSource probe = ModelSource.prepare(settings.model(), false, null);
        java.nio.file.Path dir = probe.localFolder();
        if (!Files.isRegularFile(dir.resolve("model.json"))) {
            throw new DataException(dir, "not a bonexray model folder (no model.json)");
        }
        return dir;
    }
}
