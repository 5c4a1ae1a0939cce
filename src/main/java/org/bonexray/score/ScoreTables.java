package org.bonexray.score;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bonexray.eval.StudyAggregation;

/**
 * The job's results as tables, derived by Spark from the finished parts: {@code images} (one row per scored image,
 * with the model's id), {@code studies} (the study rule applied by Spark: MURA's mean of the views' probabilities, or
 * their maximum; abnormal above the threshold) and {@code errors} (each unreadable image with its reason). Each is
 * written as Parquet, and as CSV on request, into a staging folder and then put in place whole.
 */
public final class ScoreTables {
    /** The rows of the part files. */
    static final StructType PART_SCHEMA = new StructType()
            .add("kind", DataTypes.StringType)
            .add("path", DataTypes.StringType)
            .add("study", DataTypes.StringType)
            .add("body_part", DataTypes.StringType)
            .add("label", DataTypes.IntegerType)
            .add("probability", DataTypes.DoubleType)
            .add("reason", DataTypes.StringType);

    /** The tables' names, which are also their folders in the output. */
    public static final String IMAGES = "images";
    public static final String STUDIES = "studies";
    public static final String ERRORS = "errors";

    private ScoreTables() {
    }

    /** Every part's rows. */
    static Dataset<Row> parts(SparkSession spark, String partsDir) {
        return spark.read().schema(PART_SCHEMA).json(partsDir + "/part-*.jsonl");
    }

    static Dataset<Row> images(Dataset<Row> parts, String modelId) {
        return parts.where(col("kind").equalTo("image"))
                .select(col("path"), col("study"), col("body_part"), col("label"), col("probability"), lit(modelId).as("model_id"));
    }

    static Dataset<Row> errors(Dataset<Row> parts) {
        return parts.where(col("kind").equalTo("error")).select(col("path"), col("study"), col("reason"));
    }

    /** Studies from their images by {@code rule}, the rule {@link StudyAggregation#combine} applies in Java. */
    static Dataset<Row> studies(Dataset<Row> images, StudyAggregation rule, double threshold, String modelId) {
        Column probability = rule == StudyAggregation.MEAN ? least(avg(col("probability")), lit(1.0))
                : max(col("probability"));
        return images.groupBy(col("study"))
                .agg(first(col("body_part"), true).as("body_part"), first(col("label"), true).as("label"),
                        probability.as("probability"), count(lit(1)).cast(DataTypes.IntegerType).as("images"))
                .withColumn("abnormal", col("probability").gt(threshold))
                .withColumn("threshold", lit(threshold))
                .withColumn("model_id", lit(modelId));
    }

    /** Writes {@code table} as {@code out/name} (Parquet) and, when asked, {@code out/csv/name}. */
    static void write(Dataset<Row> table, String out, String name, boolean csv, Configuration conf) {
        Path staging = new Path(out, "_bonexray/staging/" + name);
        HadoopFiles.deleteRecursively(staging, conf);
        table.write().mode(SaveMode.Overwrite).parquet(staging.toString());
        HadoopFiles.replace(staging, new Path(out, name), conf);
        if (csv) {
            Path csvStaging = new Path(out, "_bonexray/staging/csv-" + name);
            table.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").csv(csvStaging.toString());
            HadoopFiles.replace(csvStaging, new Path(out, "csv/" + name), conf);
        }
    }
}
