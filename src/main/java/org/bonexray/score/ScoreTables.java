package org.bonexray.score;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bonexray.data.BodyPart;
import org.bonexray.eval.ChosenThreshold;
import org.bonexray.eval.StudyAggregation;

/**
 * The job's results as tables, derived by Spark from the finished parts: {@code images} (one row per scored image,
 * with the model's id), {@code studies} (the study rule applied by Spark: MURA's mean of the views' probabilities, or
 * their maximum; abnormal above the threshold; an ensemble's also its members' spread) and {@code errors} (each unreadable image with its reason). Each is
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
            .add("members", DataTypes.createArrayType(DataTypes.DoubleType))
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
    static Dataset<Row> studies(Dataset<Row> images, StudyAggregation rule, ChosenThreshold decision, String modelId) {
        Column threshold = lit(decision.value());
        for (Map.Entry<BodyPart, Double> part : decision.perPart().entrySet()) { // the study's part's own, if any
            threshold = when(upper(col("body_part")).isin(part.getKey().folderName(), part.getKey().name()),
                    lit(part.getValue())).otherwise(threshold);
        }
        return images.groupBy(col("study"))
                .agg(first(col("body_part"), true).as("body_part"), first(col("label"), true).as("label"),
                        rule(rule, col("probability")).as("probability"),
                        count(lit(1)).cast(DataTypes.IntegerType).as("images"))
                .withColumn("abnormal", col("probability").gt(threshold))
                .withColumn("threshold", threshold)
                .withColumn("model_id", lit(modelId));
    }

    /** The study rule over a column of view probabilities, as {@link StudyAggregation#combine} computes it. */
    private static Column rule(StudyAggregation rule, Column probability) {
        return rule == StudyAggregation.MEAN ? least(avg(probability), lit(1.0)) : max(probability);
    }

    /**
     * An ensemble's studies with how far its members disagree ({@link org.bonexray.eval.MemberSpread}): each member's
     * study probability by the same rule, then their population standard deviation, lowest and highest, as
     * {@code members}, {@code member_sd}, {@code member_min}, {@code member_max}. A single network's parts carry no
     * member probabilities, and its studies are returned as they are.
     */
    static Dataset<Row> withSpread(Dataset<Row> studies, Dataset<Row> parts, StudyAggregation rule) {
        Dataset<Row> views = parts.where(col("kind").equalTo("image").and(col("members").isNotNull()));
        if (views.limit(1).count() == 0) {
            return studies;
        }
        Dataset<Row> perMember = views.select(col("study"), posexplode(col("members")).as(new String[] {"member", "p"}))
                .groupBy(col("study"), col("member")).agg(rule(rule, col("p")).as("p"));
        Dataset<Row> spread = perMember.groupBy(col("study"))
                .agg(count(lit(1)).cast(DataTypes.IntegerType).as("members"), stddev_pop(col("p")).as("member_sd"),
                        min(col("p")).as("member_min"), max(col("p")).as("member_max"));
        return studies.join(spread, "study");
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
