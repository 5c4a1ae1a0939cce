package org.bonexray.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DataException;
import org.bonexray.data.Label;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.ImagePrediction;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.ChosenThreshold;
import org.bonexray.io.Json;

/**
 * Metrics from a scoring job's {@code images} table, computed by the same {@link Evaluation} (study aggregation,
 * per-body-part groups, bootstrap intervals over studies) that {@code evaluate} runs on its own predictions, so an
 * archive-scale evaluation has no second code path. The image predictions are brought to the driver: a few dozen
 * bytes per image, so millions fit.
 */
public final class ScoreEvaluation {
    private ScoreEvaluation() {
    }

    /**
     * @param images the job's images table
     * @param threshold the decision thresholds (the overall one, and per body part where it has them)
     * @param out the job's output, where {@code metrics.json} goes
     * @param job what the output was made from (recorded beside the metrics)
     * @return the metrics
     * @throws DataException when images lack the label or body part evaluation needs
     */
    public static EvaluationResult evaluate(Dataset<Row> images, StudyAggregation aggregation, ChosenThreshold threshold,
                                            BootstrapSettings bootstrap, String out, JobManifest job, Configuration conf) {
        long unlabelled = images.where(col("label").isNull().or(col("body_part").isNull())
                .or(not(col("label").isin(0, 1)))).count();
        if (unlabelled > 0) {
            throw new DataException(java.nio.file.Path.of(out), unlabelled + " scored image(s) have no label (0 or 1) or no "
                    + "body part, which evaluation needs: give the list label and body_part columns, or MURA-style paths");
        }
        List<ImagePrediction> predictions = new ArrayList<>();
        for (Row r : images.select("path", "study", "body_part", "label", "probability").collectAsList()) {
            BodyPart part = BodyPart.parse(r.getString(2)).orElseThrow(() -> new DataException(
                    java.nio.file.Path.of(r.getString(0)), "unknown body part '" + r.getString(2) + "'"));
            predictions.add(new ImagePrediction(r.getString(0), r.getString(1), part, Label.of(r.getInt(3) == 1),
                    r.getDouble(4)));
        }
        EvaluationResult result = new Evaluation(aggregation, threshold, bootstrap)
                .evaluate(predictions);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("evaluatedAt", Instant.now().toString());
        report.put("engine", "spark");
        report.put("output", out);
        report.put("job", job);
        report.put("result", result);
        try {
            HadoopFiles.writeAtomically(new Path(out, "metrics.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
