package org.bonexray.train.optim;

import ai.djl.training.tracker.Tracker;

import java.util.Objects;

/**
 * An epoch-level learning rate usable as a DJL {@link Tracker}: every update of an epoch gets that epoch's
 * rate, and {@link #onEpochEnd(int, double)} moves to the next epoch's, following PyTorch's schedulers.
 * Its state can be exported and imported so that a resumed run continues it exactly.
 */
public final class LearningRateSchedule implements Tracker {
    /** ReduceLROnPlateau ignores reductions smaller than this, as PyTorch's default {@code eps}. */
    private static final double MIN_CHANGE = 1e-8;

    private final ScheduleSpec spec;
    private final double baseLr;
    private volatile ScheduleState state;

    /** A schedule at epoch 0 with rate {@code baseLr}. */
    public LearningRateSchedule(ScheduleSpec spec, double baseLr) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.baseLr = OptimizerSpec.positive("baseLr", baseLr);
        this.state = ScheduleState.initial(rateAt(0, baseLr));
    }

    /** The warm-up's rate in epoch {@code epoch} (0-based), or {@code otherwise} past the warm-up. */
    private double rateAt(int epoch, double otherwise) {
        int w = spec.warmupEpochs();
        return epoch < w ? baseLr * (epoch + 1) / (w + 1) : otherwise;
    }

    /** The spec this schedule follows. */
    public ScheduleSpec spec() {
        return spec;
    }

    /** The rate at epoch 0. */
    public double baseRate() {
        return baseLr;
    }

    /** The current epoch's rate, in double precision. */
    public double currentRate() {
        return state.learningRate();
    }

    /** The number of completed epochs. */
    public int epoch() {
        return state.epoch();
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) state.learningRate();
    }

    /**
     * Ends epoch {@code epoch} (0-based; must be the current one) and sets the next epoch's rate.
     *
     * @param validationLoss the epoch's validation loss; only {@code plateau} uses it (NaN counts as no
     *                       improvement there, as in PyTorch)
     */
    public synchronized void onEpochEnd(int epoch, double validationLoss) {
        ScheduleState s = state;
        if (epoch != s.epoch()) {
            throw new IllegalStateException("schedule is at epoch " + s.epoch() + ", cannot end epoch " + epoch);
        }
        int next = epoch + 1;
        int w = spec.warmupEpochs();
        if (next <= w) { // still warming up, or the main schedule's first epoch at the base rate
            state = new ScheduleState(next, rateAt(next, baseLr), s.bestLoss(), 0);
            return;
        }
        int main = next - w; // the main schedule's epoch count
        state = switch (spec.kind()) {
            case "constant" -> new ScheduleState(next, s.learningRate(), s.bestLoss(), 0);
            case "step" -> new ScheduleState(next,
                    main % spec.stepEpochs() == 0 ? s.learningRate() * spec.gamma() : s.learningRate(),
                    s.bestLoss(), 0);
            case "cosine" -> new ScheduleState(next, cosine(main), s.bestLoss(), 0);
            case "plateau" -> plateau(s, next, validationLoss);
            default -> throw new IllegalStateException("unreachable kind " + spec.kind());
        };
    }

    private double cosine(int epoch) {
        double min = spec.minLr();
        int length = spec.totalEpochs() - spec.warmupEpochs();
        return min + (baseLr - min) * (1 + Math.cos(Math.PI * epoch / length)) / 2;
    }

    private ScheduleState plateau(ScheduleState s, int next, double loss) {
        double best = s.bestLoss();
        int bad = s.badEpochs();
        if (loss < best * (1 - spec.threshold())) {
            best = loss;
            bad = 0;
        } else {
            bad++;
        }
        double lr = s.learningRate();
        if (bad > spec.patience()) {
            double reduced = Math.max(lr * spec.factor(), spec.minLr());
            if (lr - reduced > MIN_CHANGE) {
                lr = reduced;
            }
            bad = 0;
        }
        return new ScheduleState(next, lr, best, bad);
    }

    /** The state to save with a checkpoint. */
    public ScheduleState exportState() {
        return state;
    }

    /** Restores a state saved by {@link #exportState()}. */
    public synchronized void importState(ScheduleState saved) {
        this.state = Objects.requireNonNull(saved, "state");
    }
}
