package org.bonexray.score;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.bonexray.io.Progress;

/**
 * The driver's progress line for the parts being scored: images done (scored or unreadable) out of the pending
 * ones, with rate and time left, advanced as each part's task ends (Spark merges a task's counters before it tells
 * listeners the task ended).
 */
final class ScoreProgress extends SparkListener {
    private final Progress progress;
    private final LongAccumulator scored;
    private final LongAccumulator errors;
    private long shown;

    ScoreProgress(Progress progress, LongAccumulator scored, LongAccumulator errors) {
        this.progress = progress;
        this.scored = scored;
        this.errors = errors;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        long done = scored.value() + errors.value();
        progress.step(done - shown);
        shown = done;
    }
}
