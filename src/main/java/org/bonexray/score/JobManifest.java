package org.bonexray.score;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.bonexray.io.Json;

/**
 * What a scoring output was made from, kept as {@code _bonexray/job.json} in it: the model's id, the number of
 * input images and an order-free fingerprint of the input rows, the number of parts the input was split into, and
 * the settings that change probabilities. A rerun into the same output continues the job only when all of them
 * match; otherwise its parts would mix two jobs' numbers, so it is refused.
 *
 * @param format layout version of the output
 * @param modelId the model's {@link org.bonexray.model.ModelArtifact#id id}
 * @param images input images
 * @param fingerprint sum of the rows' 64-bit hashes (order-free, so a reordered list is the same input)
 * @param parts how many parts the input is split into (by study)
 * @param precision arithmetic inside the network, resolved
 * @param aggregation study rule
 * @param threshold decision threshold (the overall one: per-part thresholds come with the model, named by its id)
 * @param tta the test-time views of the probabilities; {@code none} in outputs made before the option existed
 */
public record JobManifest(int format, String modelId, long images, String fingerprint, int parts, String precision,
                          String aggregation, double threshold, String tta) {
    static final int FORMAT = 1;

    public JobManifest {
        tta = tta == null ? "none" : tta;
    }

    /** The part of an image's row: its study's hash, so a study's views are scored in one part. */
    static org.apache.spark.sql.Column partOf(int parts) {
        return org.apache.spark.sql.functions.pmod(xxhash64(col("study")), lit(parts)).cast(DataTypes.IntegerType);
    }

    /**
     * The input's size and fingerprint, computed by Spark in one pass.
     *
     * @param images rows
     * @param value the sum of the rows' hashes, as a decimal string
     */
    record Fingerprint(long images, String value) {
        static Fingerprint of(Dataset<Row> inputs) {
            Row r = inputs.agg(count(lit(1)), sum(xxhash64(col("path"), col("study"), coalesce(col("body_part"), lit("")),
                    coalesce(col("label"), lit(-1))).cast(DataTypes.createDecimalType(38, 0)))).first();
            return new Fingerprint(r.getLong(0), r.isNullAt(1) ? "0" : r.getDecimal(1).toPlainString());
        }
    }

    /** What differs between this job and the one that made an existing output (empty when they match). */
    List<String> differences(JobManifest earlier) {
        List<String> diffs = new ArrayList<>();
        if (earlier.format != format) {
            diffs.add("output format " + earlier.format + " (this version writes " + format + ")");
        }
        if (!earlier.modelId.equals(modelId)) {
            diffs.add("model " + earlier.modelId + " (now " + modelId + ")");
        }
        if (earlier.images != images || !earlier.fingerprint.equals(fingerprint)) {
            diffs.add("inputs of " + earlier.images + " images (now " + images + ", or the same count with other rows)");
        }
        if (earlier.parts != parts) {
            diffs.add(earlier.parts + " parts (now " + parts + ")");
        }
        if (!earlier.precision.equals(precision) || !earlier.aggregation.equals(aggregation)
                || earlier.threshold != threshold || !earlier.tta.equals(tta)) {
            diffs.add("precision/aggregation/threshold/tta " + earlier.precision + "/" + earlier.aggregation + "/"
                    + earlier.threshold + "/" + earlier.tta + " (now " + precision + "/" + aggregation + "/" + threshold
                    + "/" + tta + ")");
        }
        return diffs;
    }

    void write(Path file, Configuration conf) {
        try {
            HadoopFiles.writeAtomically(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the manifest in {@code file}, or null when there is none */
    static JobManifest read(Path file, Configuration conf) {
        if (!HadoopFiles.exists(file, conf)) {
            return null;
        }
        try (InputStream in = HadoopFiles.fs(file, conf).open(file)) {
            JsonNode node = Json.MAPPER.readTree(in);
            return Json.MAPPER.treeToValue(node, JobManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job manifest " + file + ": " + e.getMessage(), e);
        }
    }
}
