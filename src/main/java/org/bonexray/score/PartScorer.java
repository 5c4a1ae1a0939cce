package org.bonexray.score;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.bonexray.data.DataException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.predict.ViewScores;
import org.bonexray.runtime.Precision;
import scala.Tuple2;

/**
 * Scores one part of the input on an executor: its images decoded there (an unreadable one becomes an error row with
 * its reason, never a failed task), run through the executor's model in batches by a predictor of the part's own,
 * and written as one JSON-lines file under a temporary name, renamed into place when the part is complete. A part's
 * file is the proof that it is done: a rerun skips it.
 *
 * @param model where the executor finds the model
 * @param deviceType the model's device type ({@code cpu}, {@code gpu})
 * @param deviceId the device's index
 * @param precision arithmetic inside the network
 * @param batchSize images per forward pass
 * @param partsDir where part files go
 * @param pendingParts the part each Spark partition holds (see {@link PartPartitioner})
 * @param images counts scored images (for the driver's progress)
 * @param errors counts unreadable images
 * @param tta the test-time views averaged into each image's probability
 */
record PartScorer(ModelSource model, String deviceType, int deviceId, Precision precision, int batchSize,
                  String partsDir, List<Integer> pendingParts, LongAccumulator images, LongAccumulator errors,
                  TestTimeAugmentation tta)
        implements VoidFunction<Iterator<Tuple2<Integer, Row>>> {
    private static final long serialVersionUID = 1L;

    /** The name of part {@code part}'s file. */
    static String fileName(int part) {
        return String.format("part-%05d.jsonl", part);
    }

    @Override
    public void call(Iterator<Tuple2<Integer, Row>> rows) throws IOException {
        TaskContext task = TaskContext.get();
        int partIndex = pendingParts.get(task.partitionId());
        List<Row> part = new ArrayList<>();
        while (rows.hasNext()) {
            part.add(rows.next()._2());
        }
        part.sort(Comparator.comparing((Row r) -> r.<String>getAs("study")).thenComparing(r -> r.<String>getAs("path")));
        Configuration conf = new Configuration();
        List<ObjectNode> out = part.isEmpty() ? List.of() : score(part, conf); // an empty part's file says it is done too
        task.killTaskIfInterrupted();
        HadoopFiles.writeAtomically(new Path(partsDir, fileName(partIndex)), Long.toString(task.taskAttemptId()), conf, stream -> {
            for (ObjectNode line : out) {
                stream.write(Json.MAPPER.writeValueAsBytes(line));
                stream.write('\n');
            }
        });
    }

    private List<ObjectNode> score(List<Row> part, Configuration conf) {
        LoadedModel loaded = ExecutorModels.get(model, deviceType, deviceId);
        List<ObjectNode> out = new ArrayList<>(part.size());
        List<Row> batchRows = new ArrayList<>();
        List<GrayImage> batch = new ArrayList<>();
        try (StudyPredictor predictor = new StudyPredictor(loaded, null, precision, StudyAggregation.MEAN, tta)) {
            for (Row row : part) {
                String path = row.getAs("path");
                try {
                    byte[] bytes = HadoopFiles.readAll(new Path(path), ImageDecoder.MAX_FILE_BYTES, conf);
                    batch.add(ImageDecoder.STANDARD.read(bytes, path));
                    batchRows.add(row);
                } catch (IOException | DataException | IllegalArgumentException e) {
                    out.add(error(row, e));
                }
                if (batch.size() == batchSize) {
                    flush(predictor, batchRows, batch, out);
                }
            }
            flush(predictor, batchRows, batch, out);
        }
        return out;
    }

    private void flush(StudyPredictor predictor, List<Row> batchRows, List<GrayImage> batch, List<ObjectNode> out) {
        if (batch.isEmpty()) {
            return;
        }
        TaskContext.get().killTaskIfInterrupted(); // a cancelled job (a stop request) ends between batches
        ViewScores scores = predictor.scores(batch);
        for (int i = 0; i < scores.size(); i++) {
            ObjectNode line = line(batchRows.get(i), "image");
            line.put("probability", scores.model()[i]);
            if (scores.members().length > 1) { // an ensemble's members, for the studies' spread
                ArrayNode members = line.putArray("members");
                for (double[] member : scores.members()) {
                    members.add(member[i]);
                }
            }
            out.add(line);
        }
        images.add(batch.size());
        batch.clear();
        batchRows.clear();
    }

    private ObjectNode error(Row row, Exception e) {
        ObjectNode line = line(row, "error");
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        line.put("reason", e instanceof java.io.FileNotFoundException ? "no such file: " + reason : reason);
        errors.add(1);
        return line;
    }

    private static ObjectNode line(Row row, String kind) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("kind", kind);
        line.put("path", row.<String>getAs("path"));
        line.put("study", row.<String>getAs("study"));
        line.put("body_part", row.<String>getAs("body_part"));
        Integer label = row.getAs("label");
        if (label == null) {
            line.putNull("label");
        } else {
            line.put("label", label);
        }
        return line;
    }
}
