/**
 * Archive-scale scoring on Apache Spark ({@code bonexray score}, {@code evaluate --engine spark}): the input list
 * as a Spark table, split into a fixed number of parts by study; each part scored on an executor by the model that
 * JVM loaded once, written atomically as one file, so that a rerun skips finished parts; the per-image, per-study
 * and error tables derived from the parts by Spark; metrics from them by the same code {@code evaluate} runs.
 *
 * <p>Pipeline: {@link org.bonexray.score.ScoreInputs} (MURA tree or CSV/Parquet list) → {@link
 * org.bonexray.score.JobManifest} (what the output was made from; a mismatched rerun is refused) → {@link
 * org.bonexray.score.PartScorer} on the executors (with {@link org.bonexray.score.ExecutorModels} and {@link
 * org.bonexray.score.ModelSource}) → {@link org.bonexray.score.ScoreTables} → {@link
 * org.bonexray.score.ScoreEvaluation}. {@link org.bonexray.score.ScoreJob} runs them in order; {@link
 * org.bonexray.score.SparkSessions} makes the embedded session (loopback only, no UI) or joins spark-submit's.
 */
package org.bonexray.score;
