package org.bonexray.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.PatientSplit;
import org.bonexray.data.RadiographDataset;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.io.StopSignal;
import org.bonexray.io.SystemMemory;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.weights.PretrainedProvenance;
import org.bonexray.runtime.EngineFacts;
import org.bonexray.runtime.DeviceChoice;
import org.bonexray.train.optim.LearningRateSchedule;
import org.bonexray.train.optim.StatefulOptimizer;

/**
 * Trains an {@link AbnormalityNet} on the training split of a MURA index, holding out a patient-level
 * validation split to pick the best epoch, with a checkpoint after every epoch.
 *
 * <p>Reproducible: data order, augmentation and dropout are seeded per epoch from the run's seed, so a run
 * resumed from its checkpoint after epoch k computes exactly what the uninterrupted run computes.
 */
public final class TrainingRun {
    /** The configuration as given until {@link #run} resolves its precision for the device. */
    private TrainConfig config;
    private final MuraIndex index;
    private final RunFiles files;
    private final Checkpoints checkpoints;
    private final int dataThreads;
    private final PrintStream out;
    private String pretrainedSha256;
    private Path imageCache;
    private Recompute recompute = Recompute.AUTO;
    private DeviceChoice deviceChoice = DeviceChoice.AUTO;
    private Device[] devices;

    public TrainingRun(TrainConfig config, MuraIndex index, Path runDir, int dataThreads, PrintStream out) {
        this.config = config;
        this.index = index;
        this.files = new RunFiles(runDir);
        this.checkpoints = new Checkpoints(runDir);
        this.dataThreads = dataThreads;
        this.out = out;
        this.imageCache = defaultImageCache(runDir);
    }

    /**
     * Where the resized images of the training and validation sets are cached by default: {@code .cache} beside
     * the run directory ({@code runs/.cache} for {@code runs/train-...}), so the runs of one folder, and the rows
     * of an experiment grid, share it.
     */
    public static Path defaultImageCache(Path runDir) {
        Path parent = runDir.toAbsolutePath().normalize().getParent();
        return (parent == null ? runDir.toAbsolutePath() : parent).resolve(".cache");
    }

    /**
     * Caches the resized images in {@code dir} (besides memory, when they fit a quarter of the heap), or turns the
     * cache off with null. The cache changes speed only: the pixels are the same with or without it.
     */
    public TrainingRun withImageCache(Path dir) {
        this.imageCache = dir;
        return this;
    }

    /**
     * Whether training steps recompute activations instead of keeping them ({@link TrainingStep}); the default
     * {@link Recompute#AUTO} does when kept activations would take more than half the machine's memory. Changes
     * memory and speed only: the gradients are the same, so a run may resume with another setting.
     */
    public TrainingRun withRecompute(Recompute recompute) {
        this.recompute = Objects.requireNonNull(recompute, "recompute");
        return this;
    }

    /**
     * Where the run computes ({@code --device}); the default {@link DeviceChoice#AUTO} takes every GPU the engine
     * sees, else the CPU. Several devices split each batch between them (data parallel, one process).
     */
    public TrainingRun withDevice(DeviceChoice choice) {
        this.deviceChoice = Objects.requireNonNull(choice, "device");
        return this;
    }

    /**
     * Resolves the device and, for {@code --precision auto}, the precision, and says both: the run, its checkpoints
     * and its manifest only ever hold the resolved precision.
     */
    private void resolveRuntime() {
        devices = deviceChoice.resolve();
        out.println(EngineFacts.startLine(devices, config.precision()));
        config = config.withPrecision(config.precision().resolve(devices[0]));
    }

    /** Decides, and says, whether this run's steps recompute activations (the network's shape is all it takes). */
    private boolean recomputes() {
        AbnormalityNet shape = AbnormalityNet.build(config.model());
        long budgetBytes = Recompute.budgetBytes(SystemMemory.now()); // one reading for the choice and the message
        boolean recomputing = recompute.appliesTo(shape, config.batchSize(), config.precision(), budgetBytes);
        double keptGb = Recompute.estimatedActivationBytes(shape, config.batchSize(), config.precision()) / 1e9;
        String budget = recompute != Recompute.AUTO ? ""
                : String.format(Locale.ROOT, "; auto lets them take up to %.1f GB now", budgetBytes / 1e9);
        if (recomputing) {
            out.printf(Locale.ROOT, "Recomputing activations in the backward pass (--recompute %s; kept, they would "
                    + "take about %.1f GB%s): less memory, one more forward pass per step.%n", recompute.label(),
                    keptGb, budget);
        } else if (recompute == Recompute.AUTO && keptGb * 1e9 > budgetBytes / 4.0) { // a choice worth stating
            out.printf(Locale.ROOT, "Keeping activations for the backward pass (--recompute auto: about %.1f GB%s); "
                    + "--recompute always needs less memory for one more forward pass per step.%n", keptGb, budget);
        }
        return recomputing;
    }

    /** The SHA-256 a user vouches for when the weights catalogue pins none for the chosen backbone. */
    public TrainingRun withPretrainedSha256(String sha256) {
        this.pretrainedSha256 = sha256;
        return this;
    }

    /** Runs all epochs, or the remaining ones of a stopped run when {@code resume} is set. */
    public TrainingResult run(boolean resume) {
        resolveRuntime();
        Optional<TrainingState> saved = checkpoints.state();
        checkResume(resume, saved);
        PatientSplit split = split();
        ToDoubleFunction<RadiographDataset.Item> weight = sampleWeights(split.train());
        long cacheBudget = Runtime.getRuntime().maxMemory() / 4;
        try (RadiographDataset trainSet = dataset(split.train(), true, weight, cacheBudget);
             RadiographDataset validationSet = dataset(split.validation(), false, weight,
                     cacheBudget - heldInMemory(trainSet))) {
            return run(saved, split, weight, trainSet, validationSet);
        }
    }

    private static long heldInMemory(RadiographDataset set) {
        return set.imageCache().filter(c -> c.inMemory()).map(c -> (long) c.bytesPerImage() * set.size()).orElse(0L);
    }

    private TrainingResult run(Optional<TrainingState> saved, PatientSplit split, ToDoubleFunction<RadiographDataset.Item> weight,
                               RadiographDataset trainSet, RadiographDataset validationSet) {
        Map<String, Integer> counts = counts(split, trainSet, validationSet);
        out.printf("Training on %,d studies / %,d images, selecting on %,d studies / %,d images (patient-level split).%n",
                counts.get("trainStudies"), counts.get("trainImages"), counts.get("validationStudies"), counts.get("validationImages"));
        String startedAt = saved.map(TrainingState::startedAt).orElse(Instant.now().toString());
        boolean recomputing = recomputes();
        RunManifest started = RunManifest.start(config, index.root(), index.contentHash(), counts, startedAt,
                imageCache != null ? imageCache.toAbsolutePath().toString() : "off", recomputing,
                DeviceChoice.describe(devices));
        RunManifest manifest = saved.isPresent() ? files.readManifest()
                .map(m -> started.withPretrained(m.pretrainedWeights(), m.pretrained())).orElse(started) : started;
        files.writeManifest(manifest);
        // Decoding beside the first epoch's steps would take cores from the engine: do it first, alone.
        trainSet.fillImageCache(out, "preparing training images");
        validationSet.fillImageCache(out, "preparing validation images");

        try (Model model = Model.newInstance("bonexray", devices[0])) {
            AbnormalityNet net = AbnormalityNet.build(config.model());
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            if (saved.isEmpty()) {
                PretrainedProvenance weights = Pretrained.load(config, net, pretrainedSha256, out);
                manifest = manifest.withPretrained(weights == null ? "none" : weights.file(), weights);
                files.writeManifest(manifest);
            }
            config.freeze().apply(net);
            LearningRateSchedule schedule = config.schedule().build(config.optimizer().learningRate());
            try (StatefulOptimizer optimizer = config.optimizer().build(schedule)) {
                // Restore before the trainer exists: its parameter store keeps the arrays it first sees, and
                // loading weights replaces the arrays.
                TrainingState state = saved.isPresent() ? restore(saved.get(), net, model, optimizer, schedule) : initialState(startedAt);
                WeightedBinaryCrossEntropy loss = new WeightedBinaryCrossEntropy("WeightedBCE", config.labelSmoothing());
                try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss)
                        .optOptimizer(optimizer).optDevices(devices));
                     AveragedWeights averaged = averaged(net, model, saved.isPresent())) {
                    int side = config.model().inputSize();
                    trainer.initialize(new Shape(1, 3, side, side)); // weights exist already: this only marks gradients
                    EpochLoop loop = new EpochLoop(config, index, out, checkpoints, files, trainer, net, trainSet,
                            validationSet, weight, schedule, optimizer, recomputing, averaged);
                    state = stoppable(loop, state);
                }
                return finish(state, net, model, manifest, trainSet);
            }
        }
    }

    /**
     * Runs the epochs; a stop request (SIGINT, SIGTERM) ends the epoch in flight between two steps, drops it and
     * says how to resume from the last checkpoint, which a stop never touches.
     */
    private TrainingState stoppable(EpochLoop loop, TrainingState state) {
        try {
            return loop.runFrom(state);
        } catch (StopSignal.Stopped stopped) {
            TrainingState last = checkpoints.state().orElse(state);
            out.printf("Stopped during epoch %d; the checkpoint after epoch %d is intact. Resume with: "
                    + "bonexray train --run-dir %s --resume (and the same settings)%n",
                    last.epochsDone() + 1, last.epochsDone(), files.dir);
            out.flush();
            throw stopped;
        }
    }

    /** The averaged weights the run keeps (null without averaging): from the checkpoint on a resume. */
    private AveragedWeights averaged(AbnormalityNet net, Model model, boolean resuming) {
        if (config.averaging() == null) {
            return null;
        }
        AveragedWeights averaged = new AveragedWeights(config.averaging(), net, model.getNDManager());
        if (resuming) {
            try {
                checkpoints.restoreAveraged(averaged, model.getNDManager());
            } catch (RuntimeException e) {
                averaged.close();
                throw e;
            }
        }
        return averaged;
    }

    private TrainingResult finish(TrainingState state, AbnormalityNet net, Model model, RunManifest manifest,
                                  RadiographDataset trainSet) {
        ModelArtifact.readWeights(net, model, checkpoints.bestWeights());
        files.writeHistory(state.history()); // a kill after the last checkpoint may have left it one epoch behind
        RunManifest done = manifest.finished();
        ModelArtifact.save(files.modelDir(), net,
                new ModelArtifact.Description(ModelArtifact.FORMAT, config.model(), config.preprocessing(), 0.5), done);
        files.writeManifest(done);
        boolean early = state.epochsDone() < config.epochs();
        out.printf("Best epoch %d of %d%s; model saved in %s%n", state.bestEpoch(), state.epochsDone(),
                early ? " (stopped early)" : "", files.modelDir());
        return new TrainingResult(files.dir, files.modelDir(), state.history(), state.bestEpoch(), early,
                trainSet.skipped().count());
    }


    private TrainingState initialState(String startedAt) {
        return new TrainingState(config, index.contentHash(), 0, List.of(), Double.NEGATIVE_INFINITY, 0, 0,
                null, startedAt);
    }

    private TrainingState restore(TrainingState saved, AbnormalityNet net, Model model, StatefulOptimizer optimizer,
                                  LearningRateSchedule schedule) {
        checkpoints.restore(net, model, optimizer);
        config.freeze().apply(net);
        if (saved.schedule() != null) {
            schedule.importState(saved.schedule());
        }
        out.printf("Resuming after epoch %d of %d.%n", saved.epochsDone(), config.epochs());
        return saved;
    }

    private void checkResume(boolean resume, Optional<TrainingState> saved) {
        if (!resume && saved.isPresent()) {
            throw new IllegalArgumentException("run directory " + files.dir + " already holds a run (checkpoint after epoch "
                    + saved.get().epochsDone() + "): pass --resume to continue it, or choose another --run-dir");
        }
        if (resume && saved.isEmpty()) {
            out.println("Nothing to resume in " + files.dir + " (no checkpoint yet): starting the run.");
        }
        if (resume && saved.isPresent()) {
            if (!sameButEpochs(saved.get().config(), config)) {
                throw new IllegalArgumentException("--resume needs the configuration the run started with (only --epochs "
                        + "may change, to extend a run); saved: " + saved.get().config() + ", given: " + config);
            }
            if (!saved.get().dataHash().equals(index.contentHash())) {
                throw new DataException(index.root(), "the dataset differs from the one the run started on (index hash "
                        + saved.get().dataHash() + " vs " + index.contentHash() + "): refusing to resume");
            }
        }
    }

    private static boolean sameButEpochs(TrainConfig a, TrainConfig b) {
        return a.withEpochs(b.epochs()).equals(b);
    }

    private PatientSplit split() {
        List<Study> trainable = index.studies(Split.TRAIN);
        if (trainable.isEmpty()) {
            throw new DataException(index.root(), "no training studies: the train split is empty or absent");
        }
        PatientSplit split = PatientSplit.of(trainable, config.validationFraction(), config.seed(),
                config.validationFold());
        if (split.validation().isEmpty() || split.train().isEmpty()) {
            throw new DataException(index.root(), "too few patients (" + trainable.size()
                    + " studies) to hold out a validation split of " + (config.validationFold() == null
                    ? config.validationFraction() : "fold " + config.validationFold().fold() + " of "
                    + config.validationFold().folds()));
        }
        return split;
    }

    private ToDoubleFunction<RadiographDataset.Item> sampleWeights(List<Study> train) {
        if (!config.classWeighted()) {
            return item -> 1.0;
        }
        Map<BodyPart, long[]> counts = new EnumMap<>(BodyPart.class);
        for (Study s : train) {
            counts.computeIfAbsent(s.bodyPart(), k -> new long[2])[s.label().isAbnormal() ? 0 : 1] += s.images().size();
        }
        ClassWeights weights = ClassWeights.fromCounts(counts);
        return item -> weights.weight(item.study().bodyPart(), item.study().label().isAbnormal());
    }

    private RadiographDataset dataset(List<Study> studies, boolean training, ToDoubleFunction<RadiographDataset.Item> weight,
                                      long cacheBudget) {
        RadiographDataset.Builder builder = RadiographDataset.builder().setStudies(studies).setPreprocessing(config.preprocessing())
                .optAugmentation(training ? config.augmentation() : RandomAugmentation.NONE)
                .optTraining(training).optBatchSize(config.batchSize()).optSeed(config.seed())
                .optThreads(dataThreads).optBadImages(config.badImages()).optSampleWeight(weight);
        if (imageCache != null) {
            builder.optImageCache(imageCache, cacheBudget);
        }
        return builder.build();
    }

    private static Map<String, Integer> counts(PatientSplit split, RadiographDataset train, RadiographDataset validation) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("trainStudies", split.train().size());
        counts.put("trainImages", train.size());
        counts.put("validationStudies", split.validation().size());
        counts.put("validationImages", validation.size());
        counts.putAll(Map.of("trainPatients", split.patientCounts().get("train"),
                "validationPatients", split.patientCounts().get("validation")));
        return counts;
    }

}
