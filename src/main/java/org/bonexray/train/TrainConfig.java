package org.bonexray.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.bonexray.data.BadImagePolicy;
import org.bonexray.data.ValidationFold;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.model.FreezePolicy;
import org.bonexray.model.ModelSpec;
import org.bonexray.runtime.Precision;
import org.bonexray.train.optim.OptimizerSpec;
import org.bonexray.train.optim.ScheduleSpec;

/**
 * Everything that decides what a training run computes; saved in the run's manifest and checkpoints, so a
 * resumed run can check it continues the same run. Defaults live in {@link TrainDefaults}.
 *
 * @param model network, head, initialisation, seed and input size
 * @param pretrained {@code none}, {@code imagenet}, or a path to a safetensors/npz file of backbone weights
 * @param freeze which backbone parts are frozen (the paper's Table 1)
 * @param optimizer optimizer and its hyperparameters
 * @param schedule learning-rate schedule, advanced once per epoch
 * @param classWeighted MURA's per-body-part class-weighted loss instead of plain BCE
 * @param epochs number of epochs
 * @param batchSize images per training step
 * @param validationFraction share of training patients held out to select the model
 * @param seed data order, augmentation, split and dropout seed
 * @param selection metric that picks the best epoch ({@code loss}, {@code kappa}, {@code auroc}, {@code accuracy})
 * @param earlyStoppingPatience epochs without improvement of the selection metric before stopping (0 = never)
 * @param preprocessing deterministic image preprocessing (saved with the model)
 * @param augmentation seeded random augmentation of training images
 * @param badImages what to do with an image that cannot be decoded
 * @param precision arithmetic inside the network (fp32, or bf16 over fp32 weights, or auto until a run resolves it
 *     for its device); absent in older runs: fp32
 * @param labelSmoothing training targets become {@code y * (1 - e) + e / 2}, e in [0, 0.5) (0 = none)
 * @param mixing mixup / CutMix of training batches (null = none)
 * @param averaging EMA or SWA of the weights, validated beside them (null = none)
 * @param validationFold the fold of patients held out instead of {@code validationFraction}'s share (a folds
 *     ensemble's member; null = the fraction's split); with one, the fraction reads as the fold's share, 1/k
 *
 * <p>The last four are absent from older runs' files and, when unused, not written: such a configuration reads and
 * compares as it did before they existed.</p>
 */
public record TrainConfig(
        ModelSpec model,
        String pretrained,
        FreezePolicy freeze,
        OptimizerSpec optimizer,
        ScheduleSpec schedule,
        boolean classWeighted,
        int epochs,
        int batchSize,
        double validationFraction,
        long seed,
        String selection,
        int earlyStoppingPatience,
        Preprocessing preprocessing,
        RandomAugmentation augmentation,
        BadImagePolicy badImages,
        Precision precision,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double labelSmoothing,
        @JsonInclude(JsonInclude.Include.NON_NULL) BatchMixing mixing,
        @JsonInclude(JsonInclude.Include.NON_NULL) WeightAveraging averaging,
        @JsonInclude(JsonInclude.Include.NON_NULL) ValidationFold validationFold) {

    /** @return this configuration computing in {@code other} (a resolved {@code --precision auto}) */
    public TrainConfig withPrecision(Precision other) {
        return new TrainConfig(model, pretrained, freeze, optimizer, schedule, classWeighted, epochs, batchSize,
                validationFraction, seed, selection, earlyStoppingPatience, preprocessing, augmentation, badImages, other,
                labelSmoothing, mixing, averaging, validationFold);
    }

    public TrainConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(freeze, "freeze");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(badImages, "badImages");
        pretrained = pretrained == null || pretrained.isBlank() ? "none" : pretrained;
        selection = selection == null ? "loss" : selection;
        precision = precision == null ? Precision.FP32 : precision;
        validationFraction = validationFold == null ? validationFraction : validationFold.fraction();
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be >= 2 (BatchNorm needs two images), got " + batchSize);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (!SelectionMetric.NAMES.contains(selection)) {
            throw new IllegalArgumentException("selection metric must be one of " + SelectionMetric.NAMES + ", got " + selection);
        }
        if (earlyStoppingPatience < 0) {
            throw new IllegalArgumentException("early-stopping patience must be >= 0, got " + earlyStoppingPatience);
        }
        if (preprocessing.size() != model.inputSize()) {
            throw new IllegalArgumentException("preprocessing size " + preprocessing.size()
                    + " differs from the model's input size " + model.inputSize());
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 0.5), got " + labelSmoothing);
        }
        // "off" is one value (null), so that a configuration reads, compares and resumes the same however it was written
        mixing = mixing == null || mixing.isOff() ? null : mixing;
        averaging = averaging == null || averaging.isOff() ? null : averaging;
    }

    /** A configuration without the accuracy tools (label smoothing, batch mixing, weight averaging). */
    public TrainConfig(ModelSpec model, String pretrained, FreezePolicy freeze, OptimizerSpec optimizer,
                       ScheduleSpec schedule, boolean classWeighted, int epochs, int batchSize, double validationFraction,
                       long seed, String selection, int earlyStoppingPatience, Preprocessing preprocessing,
                       RandomAugmentation augmentation, BadImagePolicy badImages, Precision precision) {
        this(model, pretrained, freeze, optimizer, schedule, classWeighted, epochs, batchSize, validationFraction, seed,
                selection, earlyStoppingPatience, preprocessing, augmentation, badImages, precision, 0, null, null, null);
    }

    /**
     * This configuration with another initialisation seed (an ensemble's members): the network starts elsewhere,
     * while the patient split, data order and augmentation, drawn from {@link #seed}, stay.
     */
    public TrainConfig withModelSeed(long value) {
        ModelSpec other = new ModelSpec(model.variant(), model.head(), model.init(), value, model.inputSize());
        return new TrainConfig(other, pretrained, freeze, optimizer, schedule, classWeighted, epochs, batchSize,
                validationFraction, seed, selection, earlyStoppingPatience, preprocessing, augmentation, badImages,
                precision, labelSmoothing, mixing, averaging, validationFold);
    }

    /** This configuration with another number of epochs (what a resumed run may change). */
    public TrainConfig withEpochs(int value) {
        return new TrainConfig(model, pretrained, freeze, optimizer, schedule, classWeighted, value, batchSize,
                validationFraction, seed, selection, earlyStoppingPatience, preprocessing, augmentation, badImages,
                precision, labelSmoothing, mixing, averaging, validationFold);
    }

    /** This configuration holding out fold {@code value} of the training patients (a folds ensemble's member). */
    public TrainConfig withValidationFold(ValidationFold value) {
        return new TrainConfig(model, pretrained, freeze, optimizer, schedule, classWeighted, epochs, batchSize,
                validationFraction, seed, selection, earlyStoppingPatience, preprocessing, augmentation, badImages,
                precision, labelSmoothing, mixing, averaging, value);
    }
}
