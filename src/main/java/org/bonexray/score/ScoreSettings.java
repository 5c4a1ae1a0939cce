package org.bonexray.score;

import java.util.Objects;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.runtime.Precision;

/**
 * What a scoring job is asked to do.
 *
 * @param model the model folder (local path, or a Hadoop URI)
 * @param shipModel ship a local model folder with the job (needed on a cluster whose nodes do not mount it)
 * @param deviceType where executors compute ({@code cpu} or {@code gpu})
 * @param deviceId the device's index
 * @param precision arithmetic inside the network, resolved (what the manifest records)
 * @param aggregation study rule
 * @param threshold decision threshold, or null for the model's own
 * @param batchSize images per forward pass
 * @param parts parts the input is split into (0 = from its size)
 * @param out output folder or URI
 * @param csv also write the tables as CSV
 * @param overwrite replace an output made by another job instead of refusing
 * @param master the embedded Spark master, {@code local[N]} (ignored under spark-submit)
 * @param evaluation bootstrap settings when metrics are wanted, null otherwise
 * @param tta the test-time views averaged into each image's probability
 */
public record ScoreSettings(String model, boolean shipModel, String deviceType, int deviceId, Precision precision,
                            StudyAggregation aggregation, Double threshold, int batchSize, int parts, String out,
                            boolean csv, boolean overwrite, String master, BootstrapSettings evaluation,
                            TestTimeAugmentation tta) {
    /** Without test-time augmentation. */
    public ScoreSettings(String model, boolean shipModel, String deviceType, int deviceId, Precision precision,
                         StudyAggregation aggregation, Double threshold, int batchSize, int parts, String out,
                         boolean csv, boolean overwrite, String master, BootstrapSettings evaluation) {
        this(model, shipModel, deviceType, deviceId, precision, aggregation, threshold, batchSize, parts, out, csv,
                overwrite, master, evaluation, TestTimeAugmentation.NONE);
    }

    public ScoreSettings {
        Objects.requireNonNull(tta, "tta");
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
        if (parts < 0) {
            throw new IllegalArgumentException("parts must be 0 (automatic) or more, got " + parts);
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("the threshold must be in [0, 1], got " + threshold);
        }
    }
}
