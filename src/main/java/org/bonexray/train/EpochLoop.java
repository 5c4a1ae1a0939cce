package org.bonexray.train;

import ai.djl.engine.Engine;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.RadiographDataset;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.train.optim.LearningRateSchedule;
import org.bonexray.train.optim.StatefulOptimizer;

/**
 * The epochs of a {@link TrainingRun}: train, validate, advance the schedule, keep the best weights, checkpoint,
 * until the configured count or early stopping.
 */
final class EpochLoop {
    private final TrainConfig config;
    private final MuraIndex index;
    private final PrintStream out;
    private final Checkpoints checkpoints;
    private final RunFiles files;
    private final Trainer trainer;
    private final AbnormalityNet net;
    private final RadiographDataset trainSet;
    private final RadiographDataset validationSet;
    private final ToDoubleFunction<RadiographDataset.Item> weight;
    private final LearningRateSchedule schedule;
    private final StatefulOptimizer optimizer;
    private final boolean recompute;

    EpochLoop(TrainConfig config, MuraIndex index, PrintStream out, Checkpoints checkpoints, RunFiles files,
              Trainer trainer, AbnormalityNet net, RadiographDataset trainSet, RadiographDataset validationSet,
              ToDoubleFunction<RadiographDataset.Item> weight, LearningRateSchedule schedule, StatefulOptimizer optimizer,
              boolean recompute) {
        this.config = config;
        this.index = index;
        this.out = out;
        this.checkpoints = checkpoints;
        this.files = files;
        this.trainer = trainer;
        this.net = net;
        this.trainSet = trainSet;
        this.validationSet = validationSet;
        this.weight = weight;
        this.schedule = schedule;
        this.optimizer = optimizer;
        this.recompute = recompute;
    }

    TrainingState runFrom(TrainingState state) {
        try (ForwardPass pass = ForwardPass.of(config.precision(), trainer.getDevices()[0])) {
            return runFrom(state, pass);
        }
    }

    private TrainingState runFrom(TrainingState state, ForwardPass pass) {
        TrainingStep step = new TrainingStep(trainer, optimizer, pass, net, recompute);
        while (state.epochsDone() < config.epochs() && !stopsEarly(state)) {
            int epoch = state.epochsDone() + 1;
            long start = System.nanoTime();
            double lr = schedule.currentRate();
            EpochTotals totals = trainEpoch(epoch, step);
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            Validation.Outcome v = Validation.run(pass, net, validationSet, trainer.getManager(), weight, index, out,
                    String.format("epoch %d/%d validate", epoch, config.epochs()));
            schedule.onEpochEnd(epoch - 1, v.loss()); // the schedule counts epochs from 0
            EpochRecord record = new EpochRecord(epoch, lr, totals.meanLoss(), totals.accuracy(), v.loss(),
                    v.studyMetrics().accuracy(), v.studyMetrics().f1(), orZero(v.studyMetrics().kappa()),
                    v.studyMetrics().auroc(), totals.images() / trainSeconds, (System.nanoTime() - start) / 1e9,
                    trainSet.skipped().count() + validationSet.skipped().count());
            state = advance(state, record);
            printEpoch(record, state);
        }
        return state;
    }

    private EpochTotals trainEpoch(int epoch, TrainingStep step) {
        // Dropout draws from the engine's generator: seeding it per epoch makes a resumed epoch replay exactly.
        Engine.getInstance().setRandomSeed((int) (config.seed() * 7919 + epoch));
        trainSet.setEpoch(epoch);
        EpochTotals totals = new EpochTotals();
        Progress progress = new Progress(out, String.format("epoch %d/%d train", epoch, config.epochs()), trainSet.size(), "img");
        for (Batch batch : trainSet.getData(trainer.getManager())) {
            try (batch) {
                TrainingStep.Outcome outcome = step.run(batch.getData(), batch.getLabels());
                totals.add(outcome.loss(), outcome.logits(), batch.getLabels().get(0).toFloatArray());
                progress.setSuffix(String.format(Locale.ROOT, "loss %.4f", totals.meanLoss()));
                progress.step(batch.getSize());
            }
            StopSignal.checkpoint(); // between steps: the step in flight has finished, nothing is half-written
        }
        progress.finish();
        return totals;
    }

    private TrainingState advance(TrainingState state, EpochRecord record) {
        List<EpochRecord> history = new ArrayList<>(state.history());
        history.add(record);
        double score = SelectionMetric.score(config.selection(), record);
        boolean better = state.bestEpoch() == 0 || score > state.bestScore();
        if (better) {
            checkpoints.saveBest(net);
        }
        TrainingState next = new TrainingState(config, state.dataHash(), record.epoch(), history,
                better ? score : state.bestScore(), better ? record.epoch() : state.bestEpoch(),
                better ? 0 : state.epochsWithoutImprovement() + 1, schedule.exportState(), state.startedAt());
        checkpoints.save(net, optimizer, next, trainer.getManager());
        files.writeHistory(history);
        return next;
    }

    private boolean stopsEarly(TrainingState state) {
        return config.earlyStoppingPatience() > 0 && state.epochsWithoutImprovement() >= config.earlyStoppingPatience();
    }

    private void printEpoch(EpochRecord r, TrainingState state) {
        out.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.3f | val loss %.4f study acc %.3f F1 %.3f kappa %.3f AUROC %s | lr %.2e | %.1f img/s%s%n",
                r.epoch(), r.trainLoss(), r.trainAccuracy(), r.validationLoss(), r.validationAccuracy(), r.validationF1(),
                r.validationKappa(), r.validationAuroc() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", r.validationAuroc()),
                r.learningRate(), r.imagesPerSecond(), state.bestEpoch() == r.epoch() ? " (best)" : "");
        out.flush();
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
