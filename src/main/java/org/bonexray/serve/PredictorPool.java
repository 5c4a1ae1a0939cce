package org.bonexray.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.model.LoadedModel;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.runtime.Precision;

/**
 * A fixed set of {@link StudyPredictor}s (which are not thread-safe) lent out one request at a time. A
 * borrower waits only briefly: an overloaded server answers "busy" quickly instead of queueing without bound.
 */
public final class PredictorPool implements AutoCloseable {
    private final BlockingQueue<StudyPredictor> idle;
    private final List<StudyPredictor> all = new ArrayList<>();

    /** A borrowed predictor; closing the lease returns it. */
    public final class Lease implements AutoCloseable {
        private final StudyPredictor predictor;
        private boolean returned;

        private Lease(StudyPredictor predictor) {
            this.predictor = predictor;
        }

        public StudyPredictor predictor() {
            return predictor;
        }

        @Override
        public synchronized void close() {
            if (!returned) {
                returned = true;
                idle.add(predictor);
            }
        }
    }

    /** Creates {@code size} predictors on the model; the model must outlive the pool. */
    public PredictorPool(LoadedModel model, int size, Precision precision, StudyAggregation aggregation) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be positive: " + size);
        }
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                StudyPredictor p = new StudyPredictor(model, null, precision, aggregation);
                all.add(p);
                idle.add(p);
            }
        } catch (RuntimeException e) {
            all.forEach(StudyPredictor::close);
            throw e;
        }
    }

    /** Borrows a predictor, waiting at most {@code wait}; empty when none became free in time. */
    public Optional<Lease> acquire(Duration wait) throws InterruptedException {
        StudyPredictor p = idle.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        return p == null ? Optional.empty() : Optional.of(new Lease(p));
    }

    public int size() {
        return all.size();
    }

    /** Predictors not lent out right now. */
    public int available() {
        return idle.size();
    }

    /** Closes every predictor; call after the requests in flight have finished. */
    @Override
    public void close() {
        all.forEach(StudyPredictor::close);
    }
}
