package org.bonexray.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished training run left behind.
 *
 * @param runDir the run directory
 * @param modelDir the saved model (weights of the best epoch)
 * @param history one record per epoch
 * @param bestEpoch the epoch whose weights were kept
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param skippedImages unreadable images skipped (only with the skip policy)
 */
public record TrainingResult(Path runDir, Path modelDir, List<EpochRecord> history, int bestEpoch,
                             boolean stoppedEarly, int skippedImages) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    public EpochRecord best() {
        return history.stream().filter(r -> r.epoch() == bestEpoch).findFirst().orElseThrow();
    }
}
