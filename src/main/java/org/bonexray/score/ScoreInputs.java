package org.bonexray.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.data.Study;

/**
 * The images to score as a Spark table of {@code path, study, body_part, label}: from a MURA-format tree (the
 * studies, body parts and labels its index gives, study ids as {@code evaluate} names them) or from a CSV or
 * Parquet list with a {@code path} column on any file system Spark reads. A list may give {@code study},
 * {@code body_part} and {@code label} (0/1) columns; where it does not, they follow from MURA-style paths: the
 * study is the image's folder, the body part its {@code XR_*} folder, the label its {@code _positive/_negative}
 * suffix, and stay empty otherwise (scoring needs none of them; evaluation needs the last two).
 */
public final class ScoreInputs {
    /** The input table's columns. */
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("study", DataTypes.StringType, false)
            .add("body_part", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, true);

    private ScoreInputs() {
    }

    /** Every image of one split of a loaded MURA index, as file URIs. */
    public static Dataset<Row> fromIndex(SparkSession spark, MuraIndex index, Split split) {
        List<Row> rows = new ArrayList<>();
        for (Study study : index.studies(split)) {
            for (Path image : study.images()) {
                rows.add(RowFactory.create(HadoopFiles.uri(image), study.id(), study.bodyPart().folderName(),
                        study.label().value()));
            }
        }
        if (rows.isEmpty()) {
            throw new DataException(index.root(), "no studies in the " + split.folderName() + " split");
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * A list of image paths: a {@code .parquet} file, or a folder of them (a table Spark wrote, such as another
     * job's {@code images}), read as Parquet; anything else as CSV with a header.
     *
     * @param location the list's path or URI
     * @throws DataException when it has no {@code path} column
     */
    public static Dataset<Row> fromList(SparkSession spark, String location) {
        boolean parquet = location.toLowerCase(Locale.ROOT).endsWith(".parquet")
                || HadoopFiles.list(HadoopFiles.path(location), spark.sparkContext().hadoopConfiguration()).stream()
                        .anyMatch(name -> name.endsWith(".parquet"));
        Dataset<Row> raw = parquet ? spark.read().parquet(location)
                : spark.read().option("header", "true").csv(location);
        List<String> columns = Arrays.asList(raw.columns());
        if (!columns.contains("path")) {
            throw new DataException(Path.of(location), "the list needs a 'path' column (it has " + columns
                    + "); optional columns: study, body_part, label");
        }
        Column path = col("path").cast(DataTypes.StringType);
        Column study = columns.contains("study") ? col("study").cast(DataTypes.StringType)
                : regexp_replace(path, "/[^/]*$", "");
        Column bodyPart = columns.contains("body_part") ? col("body_part").cast(DataTypes.StringType)
                : nullIfEmpty(regexp_extract(path, "(XR_[A-Za-z]+)", 1));
        Column label = columns.contains("label") ? col("label").cast(DataTypes.IntegerType)
                : when(study.rlike("_positive$"), lit(1)).when(study.rlike("_negative$"), lit(0));
        return raw.where(path.isNotNull().and(path.notEqual("")))
                .select(path.as("path"), study.as("study"), bodyPart.as("body_part"), label.cast(DataTypes.IntegerType).as("label"));
    }

    private static Column nullIfEmpty(Column c) {
        return when(c.notEqual(""), c);
    }
}
