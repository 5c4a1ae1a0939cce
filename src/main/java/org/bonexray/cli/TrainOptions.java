package org.bonexray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.image.RandIntensity;
import org.bonexray.data.image.RandResizedCrop;
import org.bonexray.io.Json;
import org.bonexray.runtime.Precision;
import org.bonexray.train.Recompute;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainDefaults;
import org.bonexray.train.TrainingRun;
import org.bonexray.train.WeightAveraging;
import org.bonexray.train.optim.ScheduleSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Training settings as command-line options (a picocli mixin shared by {@code train} and {@code demo}).
 * An option left out keeps the value of the preset or the config file; each given one overrides it.
 */
public final class TrainOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON file with training settings.")
    Path configFile;

    @Option(names = "--backbone", paramLabel = "NAME", description = "densenet121, densenet169, densenet201 or tiny.")
    String backbone;

    @Option(names = "--head", split = ",", paramLabel = "WIDTH",
            description = "Hidden fully connected layers of the head, e.g. 512,256 (0 to 3; none = one linear layer).")
    List<Integer> headWidths;

    @Option(names = "--head-batch-norm", negatable = true, description = "BatchNorm after each hidden head layer.")
    Boolean headBatchNorm;

    @Option(names = "--dropout", description = "Dropout after each hidden head layer.")
    Double dropout;

    @Option(names = "--init", description = "Initialisation: he, xavier or normal.")
    String init;

    @Option(names = "--pretrained", paramLabel = "SOURCE",
            description = "none, imagenet (timm's torchvision weights, verified; from a cache or downloaded), or a weights "
                    + "file: .safetensors, .npz, or a PyTorch .pth/.pt/.bin/.ckpt (torchvision, timm, Lightning, "
                    + "torchxrayvision). Sets --normalize to what the weights expect unless it is given.")
    String pretrained;

    @Option(names = "--pretrained-sha256", paramLabel = "HEX",
            description = "SHA-256 you vouch for, to verify imagenet's file against when the catalogue pins none (the hub's "
                    + "published digest is used otherwise).")
    String pretrainedSha256;

    @Option(names = "--freeze", description = "Frozen backbone parts: none, all, last1, last2, last3 (all but the last N dense blocks).")
    String freeze;

    @Option(names = "--optimizer", description = "adam, adamw, sgd, rmsprop or adagrad.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate.")
    Double learningRate;

    @Option(names = "--weight-decay", description = "Weight decay.")
    Double weightDecay;

    @Option(names = "--momentum", description = "Momentum (sgd, rmsprop).")
    Double momentum;

    @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum (sgd).")
    Boolean nesterov;

    @Option(names = "--schedule", description = "Learning-rate schedule: constant, step, cosine or plateau.")
    String schedule;

    @Option(names = "--class-weighted", negatable = true, description = "MURA's per-body-part class-weighted loss.")
    Boolean classWeighted;

    @Option(names = "--epochs", description = "Number of epochs.")
    Integer epochs;

    @Option(names = "--batch-size", description = "Images per training step.")
    Integer batchSize;

    @Option(names = "--val-fraction", description = "Share of training patients held out for model selection.")
    Double validationFraction;

    @Option(names = "--seed", description = "Seed of initialisation, split, data order, augmentation and dropout.")
    Long seed;

    @Option(names = "--select-by", description = "Metric that picks the best epoch: loss, kappa, auroc or accuracy.")
    String selection;

    @Option(names = "--early-stopping", paramLabel = "EPOCHS", description = "Stop after this many epochs without improvement (0 = never).")
    Integer earlyStopping;

    @Option(names = "--image-size", description = "Input side in pixels.")
    Integer imageSize;

    @Option(names = "--resize", description = "squash (the paper) or letterbox.")
    String resize;

    @Option(names = "--normalize", description = "minus_one_to_one (the paper), imagenet, or xray (torchxrayvision's "
            + "[-1024, 1024]).")
    String normalization;

    @Option(names = "--rotation", description = "Maximum random rotation in degrees.")
    Double rotation;

    @Option(names = "--flip", description = "Probability of a random horizontal flip.")
    Double flip;

    @Option(names = "--warmup-epochs", paramLabel = "EPOCHS",
            description = "Epochs of linear learning-rate warm-up before the schedule (0 = none).")
    Integer warmupEpochs;

    @Option(names = "--crop", paramLabel = "P,MIN_SCALE,MAX_ASPECT", split = ",",
            description = "Random resized crop with probability P of at least MIN_SCALE of the image, aspect up to "
                    + "MAX_ASPECT, resized back (0,1,1 = none).")
    List<Double> crop;

    @Option(names = "--intensity", paramLabel = "BRIGHTNESS,CONTRAST,GAMMA", split = ",",
            description = "Random brightness, contrast and gamma jitter, each a relative range (0,0,0 = none).")
    List<Double> intensity;

    @Option(names = "--label-smoothing", paramLabel = "E", description = "Label smoothing: targets y(1-E)+E/2 (0 = none).")
    Double labelSmoothing;

    @Option(names = "--mixup", paramLabel = "P", description = "Probability that a training batch is mixed up (0 = never).")
    Double mixup;

    @Option(names = "--cutmix", paramLabel = "P", description = "Probability that a training batch is cut and mixed (0 = never).")
    Double cutmix;

    @Option(names = "--mix-alpha", paramLabel = "ALPHA", description = "Beta(ALPHA, ALPHA) of the mixup/CutMix share.")
    Double mixAlpha;

    @Option(names = "--ema", paramLabel = "DECAY",
            description = "Keep an exponential moving average of the weights (decay per step, e.g. 0.999), validated "
                    + "each epoch beside them and saved as the model when better.")
    Double ema;

    @Option(names = "--swa-start", paramLabel = "EPOCH",
            description = "Stochastic weight averaging of the weights of each epoch from EPOCH on, validated and kept "
                    + "as --ema is (instead of --ema).")
    Integer swaStart;

    @Option(names = "--precision", paramLabel = "auto|fp32|bf16",
            description = "Arithmetic inside the network: auto (the default: bf16 where the device has bf16 units, "
                    + "else fp32; the run prints and records which), fp32, or bf16 over fp32 weights (PyTorch's "
                    + "autocast).")
    String precision;

    @Mixin
    DeviceOption device;

    @Option(names = "--skip-bad-images", description = "Skip and count unreadable images instead of stopping.")
    boolean skipBadImages;

    @Option(names = "--threads", defaultValue = "0", description = "Image decoding threads (0 = one per core).")
    int threads;

    @Option(names = "--image-cache", paramLabel = "DIR",
            description = "Folder of the cache of decoded, resized images (default: .cache beside the run directory).")
    Path imageCache;

    @Option(names = "--no-image-cache", description = "Decode and resize every image every epoch (no cache).")
    boolean noImageCache;

    @Option(names = "--recompute", paramLabel = "auto|always|never", defaultValue = "auto",
            converter = RecomputeConverter.class,
            description = "Recompute activations in the backward pass instead of keeping them: the same gradients in "
                    + "less memory, one more forward pass per step (BENCHMARKS.md has both). auto (default): when "
                    + "kept they would take more than two thirds of the memory available at the start (the machine's, "
                    + "or its container's limit).")
    Recompute recompute;

    /** Reads auto, always or never in any case, so a wrong word fails while the command line is parsed. */
    static final class RecomputeConverter implements ITypeConverter<Recompute> {
        @Override
        public Recompute convert(String value) {
            return Recompute.parse(value);
        }
    }

    String pretrainedSha256() {
        return pretrainedSha256;
    }

    /** The run with the image cache and the recomputation these options ask for (neither changes the numbers). */
    TrainingRun applyRuntimeOptions(TrainingRun run) {
        run.withRecompute(recompute).withDevice(device.choice());
        if (noImageCache) {
            return run.withImageCache(null);
        }
        return imageCache == null ? run : run.withImageCache(imageCache);
    }

    int threads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The preset, overlaid with the config file, overlaid with the options given. */
    TrainConfig resolve(TrainConfig preset) {
        return UsageException.of(() -> {
            TrainConfig fromFile = configFile == null ? preset : TrainDefaults.merge(preset, TrainDefaults.readFile(configFile));
            return TrainDefaults.merge(fromFile, overrides());
        });
    }

    private JsonNode overrides() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode model = root.putObject("model");
        ObjectNode head = model.putObject("head");
        ObjectNode opt = root.putObject("optimizer");
        ObjectNode pre = root.putObject("preprocessing");
        ObjectNode aug = root.putObject("augmentation");
        if (backbone != null) {
            model.set("variant", Json.MAPPER.valueToTree(org.bonexray.model.DenseNetVariant.named(backbone)));
        }
        if (headWidths != null) {
            head.set("hiddenWidths", Json.MAPPER.valueToTree(headWidths));
        }
        put(head, "batchNorm", headBatchNorm);
        put(head, "dropout", dropout);
        put(model, "init", init == null ? null : init.toUpperCase(java.util.Locale.ROOT));
        put(model, "seed", seed);
        put(model, "inputSize", imageSize);
        put(pre, "size", imageSize);
        put(pre, "resize", resize == null ? null : resize.toUpperCase(java.util.Locale.ROOT));
        put(pre, "normalization", normalization == null ? null : normalization.toUpperCase(java.util.Locale.ROOT));
        put(aug, "maxRotationDegrees", rotation);
        put(aug, "flipProbability", flip);
        put(root, "pretrained", pretrained);
        put(root, "freeze", freeze);
        if (optimizer != null) {
            root.set("optimizer", Json.MAPPER.valueToTree(org.bonexray.train.optim.OptimizerSpec.defaults(optimizer)));
            opt = (ObjectNode) root.get("optimizer");
        }
        put(opt, "learningRate", learningRate);
        put(opt, "weightDecay", weightDecay);
        put(opt, "momentum", momentum);
        put(opt, "nesterov", nesterov);
        if (schedule != null) {
            // a new kind starts from its own defaults (a cosine's length follows the run: TrainDefaults' rules)
            root.set("schedule", Json.MAPPER.valueToTree(
                    ScheduleSpec.fromJson(schedule, null, null, null, null, null, null, null)));
        }
        if (warmupEpochs != null) {
            ObjectNode scheduleNode = root.get("schedule") instanceof ObjectNode o ? o : root.putObject("schedule");
            scheduleNode.put("warmupEpochs", warmupEpochs);
        }
        if (crop != null) {
            aug.set("crop", Json.MAPPER.valueToTree(new RandResizedCrop(at(crop, 0, "--crop"), at(crop, 1, "--crop"),
                    at(crop, 2, "--crop"))));
        }
        if (intensity != null) {
            aug.set("intensity", Json.MAPPER.valueToTree(new RandIntensity(at(intensity, 0, "--intensity"),
                    at(intensity, 1, "--intensity"), at(intensity, 2, "--intensity"))));
        }
        put(root, "labelSmoothing", labelSmoothing);
        ObjectNode mixing = root.putObject("mixing");
        put(mixing, "mixupProbability", mixup);
        put(mixing, "cutmixProbability", cutmix);
        put(mixing, "alpha", mixAlpha);
        if (ema != null && swaStart != null) {
            throw new UsageException("--ema and --swa-start are alternatives: give one");
        }
        if (ema != null) {
            root.set("averaging", Json.MAPPER.valueToTree(WeightAveraging.ema(ema)));
        } else if (swaStart != null) {
            root.set("averaging", Json.MAPPER.valueToTree(WeightAveraging.swa(swaStart)));
        }
        put(root, "classWeighted", classWeighted);
        put(root, "epochs", epochs);
        put(root, "batchSize", batchSize);
        put(root, "validationFraction", validationFraction);
        put(root, "seed", seed);
        put(root, "selection", selection);
        put(root, "earlyStoppingPatience", earlyStopping);
        put(root, "precision", precision == null ? null : Precision.parse(precision).label());
        if (skipBadImages) {
            root.put("badImages", "SKIP");
        }
        return root;
    }

    /** The {@code i}th of an option's three comma-separated numbers. */
    private static double at(List<Double> values, int i, String option) {
        if (values.size() != 3) {
            throw new UsageException(option + " takes three comma-separated numbers, got " + values.size());
        }
        return values.get(i);
    }

    private static void put(ObjectNode node, String key, Object value) {
        if (value != null) {
            node.set(key, Json.MAPPER.valueToTree(value));
        }
    }
}
