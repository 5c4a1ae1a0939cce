package org.bonexray.train;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One epoch of a run's history. Validation metrics are at study level (study probability = mean of its
 * images'), loss at image level.
 *
 * @param epoch 1-based epoch number
 * @param learningRate rate used during the epoch
 * @param trainLoss mean training loss (weighted as the run's loss)
 * @param trainAccuracy image-level training accuracy (on augmented images, in training mode)
 * @param validationLoss mean image-level validation loss
 * @param validationAccuracy study-level accuracy
 * @param validationF1 study-level F1
 * @param validationKappa study-level Cohen's kappa
 * @param validationAuroc study-level AUROC, null when the validation set has one class only
 * @param imagesPerSecond training throughput
 * @param seconds wall time of the epoch (training and validation)
 * @param skippedImages images skipped as unreadable so far
 * @param weightsDigest {@link org.bonexray.model.ModelArtifact#weightsDigest} of the weights after the epoch's
 *     training (what its validation saw): two runs that should replay each other match here bit for bit, and the
 *     first epoch where they differ is where they parted; null in histories written before it was recorded
 * @param averaged the same validation of the averaged weights (EMA or SWA), null without averaging or before
 *     SWA's first averaged epoch
 * @param memory the process's memory when the epoch ended (after its validation), null in histories written before it
 *     was recorded
 */
public record EpochRecord(int epoch, double learningRate, double trainLoss, double trainAccuracy,
                          double validationLoss, double validationAccuracy, double validationF1,
                          double validationKappa, Double validationAuroc, double imagesPerSecond, double seconds,
                          int skippedImages, @JsonInclude(JsonInclude.Include.NON_NULL) String weightsDigest,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Averaged averaged,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Memory memory) {

    static final String CSV_HEADER = "epoch,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,val_f1,"
            + "val_kappa,val_auroc,images_per_second,seconds,skipped_images,averaged_val_loss,averaged_val_accuracy,"
            + "averaged_val_kappa,averaged_val_auroc,averaged_better,weights_sha256,rss_mib,peak_rss_mib,live_arrays";

    /**
     * The validation of the averaged weights after an epoch.
     *
     * @param kind {@code ema} or {@code swa}
     * @param loss mean image-level validation loss
     * @param accuracy study-level accuracy
     * @param kappa study-level Cohen's kappa
     * @param auroc study-level AUROC, null with one class only
     * @param better whether they scored above the trained weights on the selection metric
     */
    public record Averaged(String kind, double loss, double accuracy, double kappa, Double auroc, boolean better) {
    }

    /**
     * The process's memory at the end of an epoch: a run whose live arrays or resident set keep growing from epoch to
     * epoch holds on to something (the native tensors libtorch allocates are invisible to the Java heap's counters).
     *
     * @param residentMib the resident set (VmRSS), MiB
     * @param peakMib the resident set's high-water mark since the process started (VmHWM), MiB
     * @param liveArrays the arrays open under the model's manager: weights, gradients, optimizer and averaging state,
     *     and anything a step or a validation failed to close
     */
    public record Memory(long residentMib, long peakMib, int liveArrays) {
    }

    /** An epoch without averaged weights or a weights digest. */
    public EpochRecord(int epoch, double learningRate, double trainLoss, double trainAccuracy, double validationLoss,
                       double validationAccuracy, double validationF1, double validationKappa, Double validationAuroc,
                       double imagesPerSecond, double seconds, int skippedImages) {
        this(epoch, learningRate, trainLoss, trainAccuracy, validationLoss, validationAccuracy, validationF1,
                validationKappa, validationAuroc, imagesPerSecond, seconds, skippedImages, null, null, null);
    }

    String csvRow() {
        String avg = averaged == null ? ",,,," : String.join(",", num(averaged.loss()), num(averaged.accuracy()),
                num(averaged.kappa()), averaged.auroc() == null ? "" : num(averaged.auroc()), String.valueOf(averaged.better()));
        return String.join(",", String.valueOf(epoch), num(learningRate), num(trainLoss), num(trainAccuracy),
                num(validationLoss), num(validationAccuracy), num(validationF1), num(validationKappa),
                validationAuroc == null ? "" : num(validationAuroc), String.format(java.util.Locale.ROOT, "%.2f", imagesPerSecond),
                String.format(java.util.Locale.ROOT, "%.2f", seconds), String.valueOf(skippedImages), avg,
                weightsDigest == null ? "" : weightsDigest,
                memory == null ? ",," : memory.residentMib() + "," + memory.peakMib() + "," + memory.liveArrays());
    }

    /** The same epoch without the wall-clock and memory columns, for comparing two runs. */
    public EpochRecord withoutTimings() {
        return new EpochRecord(epoch, learningRate, trainLoss, trainAccuracy, validationLoss, validationAccuracy,
                validationF1, validationKappa, validationAuroc, 0, 0, skippedImages, weightsDigest, averaged, null);
    }

    private static String num(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
