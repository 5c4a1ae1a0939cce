package org.bonexray.train.optim;

/**
 * The whole mutable state of a {@link LearningRateSchedule}, small enough for a checkpoint's JSON.
 *
 * @param epoch the number of completed epochs (the index of the epoch that uses {@code learningRate})
 * @param learningRate the current learning rate
 * @param bestLoss the best validation loss so far (+Infinity before the first; plateau only)
 * @param badEpochs epochs since the last improvement or reduction (plateau only)
 */
public record ScheduleState(int epoch, double learningRate, double bestLoss, int badEpochs) {
    /** Validates the values. */
    public ScheduleState {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0, got " + learningRate);
        }
        if (Double.isNaN(bestLoss)) {
            throw new IllegalArgumentException("bestLoss must not be NaN");
        }
        if (badEpochs < 0) {
            throw new IllegalArgumentException("badEpochs must be >= 0, got " + badEpochs);
        }
    }

    /** The state before the first epoch. */
    public static ScheduleState initial(double baseLr) {
        return new ScheduleState(0, baseLr, Double.POSITIVE_INFINITY, 0);
    }
}
