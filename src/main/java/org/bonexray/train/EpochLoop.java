package org.bonexray.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.bonexray.data.InputBatches;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.RadiographDataset;
import org.bonexray.io.MemoryWatch;
import org.bonexray.io.ProcessMemory;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.ModelArtifact;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.train.optim.LearningRateSchedule;
import org.bonexray.train.optim.StatefulOptimizer;

/**
 * The epochs of a {@link TrainingRun}: train, validate, advance the schedule, keep the best weights, checkpoint,
 * until the configured count or early stopping. Batches are mixed ({@link BatchMixing}) before their step when the
 * run asks; with weight averaging the averaged weights are validated beside the trained ones after each epoch and
 * are what is kept as best when they score better.
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
    private final AveragedWeights averaged;
    private final MemoryWatch memoryWatch;

    EpochLoop(TrainConfig config, MuraIndex index, PrintStream out, Checkpoints checkpoints, RunFiles files,
              Trainer trainer, AbnormalityNet net, RadiographDataset trainSet, RadiographDataset validationSet,
              ToDoubleFunction<RadiographDataset.Item> weight, LearningRateSchedule schedule, StatefulOptimizer optimizer,
              boolean recompute, AveragedWeights averaged) {
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
        this.averaged = averaged;
        this.memoryWatch = new MemoryWatch(out, "Finished epochs are kept (--resume continues after the last one). "
                + "To need less: a smaller --batch-size or --image-size, --recompute always, or BONEXRAY_MALLOC=glibc "
                + "(the allocator then returns freed memory at once, at some cost in speed).");
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
            String digest = ModelArtifact.weightsDigest(net);
            String label = String.format("epoch %d/%d validate", epoch, config.epochs());
            Validation.Outcome v = Validation.run(pass, net, validationSet, trainer.getManager(), weight, index, out, label);
            schedule.onEpochEnd(epoch - 1, v.loss()); // the schedule counts epochs from 0
            EpochRecord record = new EpochRecord(epoch, lr, totals.meanLoss(), totals.accuracy(), v.loss(),
                    v.studyMetrics().accuracy(), v.studyMetrics().f1(), orZero(v.studyMetrics().kappa()),
                    v.studyMetrics().auroc(), totals.images() / trainSeconds, (System.nanoTime() - start) / 1e9,
                    trainSet.skipped().count() + validationSet.skipped().count(), digest,
                    validateAveraged(pass, epoch, label, v), memory());
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
        memoryWatch.rearm();
        int index = 0;
        for (Batch batch : trainSet.getData(trainer.getManager())) {
            try (batch) {
                NDList[] inputs = mixed(batch, epoch, index++);
                TrainingStep.Outcome outcome = step.run(inputs[0], inputs[1]);
                if (averaged != null) {
                    averaged.afterStep();
                }
                totals.add(outcome.loss(), outcome.logits(), batch.getLabels().get(0).toFloatArray());
                progress.setSuffix(String.format(Locale.ROOT, "loss %.4f", totals.meanLoss()));
                progress.step(batch.getSize());
            }
            memoryWatch.check();
            StopSignal.checkpoint(); // between steps: the step in flight has finished, nothing is half-written
        }
        progress.finish();
        if (averaged != null) {
            averaged.afterEpoch(epoch);
        }
        return totals;
    }

    /**
     * The batch's images and [labels, weights], mixed when the run mixes and this batch's draw says so; the
     * generator is seeded by (data seed, epoch, batch), so a resumed epoch mixes as the uninterrupted one.
     */
    private NDList[] mixed(Batch batch, int epoch, int index) {
        BatchMixing mixing = config.mixing();
        if (mixing == null) {
            return new NDList[] {batch.getData(), batch.getLabels()};
        }
        SplittableRandom rng = new SplittableRandom((config.seed() * 1_000_003L + epoch) * 1_000_033L + index);
        float[] pixels = batch.getData().singletonOrThrow().toFloatArray();
        float[] labels = batch.getLabels().get(0).toFloatArray();
        float[] weights = batch.getLabels().get(1).toFloatArray();
        if (!mixing.mix(pixels, labels, weights, config.preprocessing().size(), rng)) {
            return new NDList[] {batch.getData(), batch.getLabels()};
        }
        NDManager m = batch.getManager();
        return new NDList[] {new NDList(InputBatches.fromPixels(m, pixels, labels.length, config.preprocessing().size())),
            new NDList(m.create(labels), m.create(weights))};
    }

    /** The averaged weights' validation, when the run keeps them and they hold an average yet. */
    private EpochRecord.Averaged validateAveraged(ForwardPass pass, int epoch, String label, Validation.Outcome trained) {
        if (averaged == null || !averaged.ready()) {
            return null;
        }
        String kind = averaged.settings().kind();
        Validation.Outcome v = averaged.swappedIn(() -> Validation.run(pass, net, validationSet, trainer.getManager(),
                weight, index, out, label + " " + kind));
        EpochRecord.Averaged a = new EpochRecord.Averaged(kind, v.loss(), v.studyMetrics().accuracy(),
                orZero(v.studyMetrics().kappa()), v.studyMetrics().auroc(), false);
        double plain = SelectionMetric.score(config.selection(), trained.loss(), trained.studyMetrics());
        boolean better = SelectionMetric.score(config.selection(), a) > plain;
        return better ? new EpochRecord.Averaged(kind, a.loss(), a.accuracy(), a.kappa(), a.auroc(), true) : a;
    }

    /** The process's memory now; the live arrays are counted under the model's manager, which holds the trainer's. */
    private EpochRecord.Memory memory() {
        ProcessMemory m = ProcessMemory.now();
        int live = trainer.getModel().getNDManager().getManagedArrays().size();
        return new EpochRecord.Memory(mib(m.residentKib()), mib(m.peakKib()), live);
    }

    private static long mib(long kib) {
        return kib < 0 ? -1 : kib / 1024; // -1: no /proc here
    }

    private TrainingState advance(TrainingState state, EpochRecord record) {
        List<EpochRecord> history = new ArrayList<>(state.history());
        history.add(record);
        boolean averagedWins = record.averaged() != null && record.averaged().better();
        double score = averagedWins ? SelectionMetric.score(config.selection(), record.averaged())
                : SelectionMetric.score(config.selection(), record);
        boolean better = state.bestEpoch() == 0 || score > state.bestScore();
        if (better && averagedWins) {
            averaged.swappedIn(() -> {
                checkpoints.saveBest(net);
                return null;
            });
        } else if (better) {
            checkpoints.saveBest(net);
        }
        TrainingState next = new TrainingState(config, state.dataHash(), record.epoch(), history,
                better ? score : state.bestScore(), better ? record.epoch() : state.bestEpoch(),
                better ? 0 : state.epochsWithoutImprovement() + 1, schedule.exportState(), state.startedAt());
        checkpoints.save(net, optimizer, averaged, next, trainer.getManager());
        files.writeHistory(history);
        return next;
    }

    private boolean stopsEarly(TrainingState state) {
        return config.earlyStoppingPatience() > 0 && state.epochsWithoutImprovement() >= config.earlyStoppingPatience();
    }

    private void printEpoch(EpochRecord r, TrainingState state) {
        EpochRecord.Averaged a = r.averaged();
        String averagedText = a == null ? "" : String.format(Locale.ROOT, " | %s val loss %.4f kappa %.3f AUROC %s%s",
                a.kind(), a.loss(), a.kappa(), auroc(a.auroc()), a.better() ? " (kept)" : "");
        out.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.3f | val loss %.4f study acc %.3f F1 %.3f kappa %.3f AUROC %s%s | lr %.2e | %.1f img/s%s%s%n",
                r.epoch(), r.trainLoss(), r.trainAccuracy(), r.validationLoss(), r.validationAccuracy(), r.validationF1(),
                r.validationKappa(), auroc(r.validationAuroc()), averagedText,
                r.learningRate(), r.imagesPerSecond(), resident(r.memory()), state.bestEpoch() == r.epoch() ? " (best)" : "");
        out.flush();
    }

    private static String resident(EpochRecord.Memory m) {
        return m == null || m.residentMib() < 0 ? "" : String.format(Locale.ROOT, " | RSS %.1f GiB", m.residentMib() / 1024.0);
    }

    private static String auroc(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
