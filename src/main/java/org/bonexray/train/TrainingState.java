package org.bonexray.train;

import java.util.List;
import org.bonexray.train.optim.ScheduleState;

/**
 * Where a run stands after a finished epoch; saved with each checkpoint so that {@code --resume}
 * continues exactly where the run stopped.
 *
 * @param config the run's configuration (a resume must use the same)
 * @param dataHash content hash of the dataset index the run trains on
 * @param epochsDone epochs finished
 * @param history one record per finished epoch
 * @param bestScore best selection score so far (larger is better)
 * @param bestEpoch epoch of the best score (0 when none yet)
 * @param epochsWithoutImprovement epochs since the best score, for early stopping
 * @param schedule learning-rate schedule state
 * @param startedAt when the run first started (ISO-8601)
 */
public record TrainingState(TrainConfig config, String dataHash, int epochsDone, List<EpochRecord> history,
                            double bestScore, int bestEpoch, int epochsWithoutImprovement, ScheduleState schedule,
                            String startedAt) {
    public TrainingState {
        history = List.copyOf(history);
    }
}
