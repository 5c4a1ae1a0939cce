package org.bonexray.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.io.Json;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.train.TrainDefaults;

/**
 * The built-in grids: the reproduced paper's Table 1 (seven heads, initialisations and freezing policies),
 * MURA's own training recipe, the comparison of starting weights (none, ImageNet, chest X-ray), the accuracy tools
 * one at a time ({@code recipes}) and the small-data preset against the paper's recipe ({@code small-data}). Both start from the standard preset (DenseNet-169 at 224 px, Adam 1e-4, plateau
 * schedule, class-weighted loss); shrink them for a quick run with the command's overrides.
 */
public final class GridPresets {
    /** The grid comparing starting weights; it needs the user's torchxrayvision file. */
    public static final String PRETRAINED_STARTS = "pretrained-starts";

    /** Names accepted by {@link #named(String)}. */
    public static final List<String> NAMES = List.of("paper-table1", "mura", PRETRAINED_STARTS, "recipes", "small-data");

    private GridPresets() {
    }

    /** The preset grid called {@code name}. */
    public static GridSpec named(String name) {
        return switch (name) {
            case "paper-table1" -> paperTable1();
            case "mura" -> mura();
            case "recipes" -> recipes();
            case "small-data" -> smallData();
            case PRETRAINED_STARTS -> throw new IllegalArgumentException("the " + PRETRAINED_STARTS + " grid needs "
                    + "torchxrayvision's chest X-ray DenseNet-121 weights: pass --xray-weights FILE or set "
                    + "BONEXRAY_XRAY_WEIGHTS (bonexray cannot download them for you)");
            default -> throw new IllegalArgumentException("unknown grid preset '" + name + "': expected one of " + NAMES);
        };
    }

    /**
     * The paper's Table 1. Row 1 puts a dropout 0.2 + BatchNorm hidden layer on a frozen backbone; rows 2-3
     * compare He and Xavier initialisation fully trainable; rows 4-6 unfreeze the last 2, 1 and 3 dense blocks
     * (with lr 1e-4 where the paper lowered it); row 7 stacks more linear layers.
     */
    public static GridSpec paperTable1() {
        List<GridRow> rows = List.of(
                row("1-dropout-bn-frozen", "{\"model\":{\"head\":{\"hiddenWidths\":[512],\"batchNorm\":true,\"dropout\":0.2}},"
                        + "\"freeze\":\"all\"}"),
                row("2-he-unfrozen", "{\"model\":{\"init\":\"HE\"},\"freeze\":\"none\"}"),
                row("3-xavier-unfrozen", "{\"model\":{\"init\":\"XAVIER\"},\"freeze\":\"none\"}"),
                row("4-xavier-last2", "{\"model\":{\"init\":\"XAVIER\"},\"optimizer\":{\"learningRate\":1.0E-4},"
                        + "\"freeze\":\"last2\"}"),
                row("5-he-last1", "{\"model\":{\"init\":\"HE\"},\"freeze\":\"last1\"}"),
                row("6-random-last3", "{\"model\":{\"init\":\"NORMAL\"},\"optimizer\":{\"learningRate\":1.0E-4},"
                        + "\"freeze\":\"last3\"}"),
                row("7-more-linear", "{\"model\":{\"head\":{\"hiddenWidths\":[512,256]}},\"freeze\":\"none\"}"));
        return new GridSpec("paper-table1", "standard", null, rows);
    }

    /**
     * MURA's recipe (Rajpurkar et al. 2017): class-weighted loss, Adam 1e-4 with reduce-on-plateau, random
     * flips and rotations up to 30 degrees, batches of 8 at 320x320. Slow on a CPU at full size.
     */
    public static GridSpec mura() {
        GridRow row = row("mura", "{\"classWeighted\":true,\"optimizer\":{\"kind\":\"adam\",\"learningRate\":1.0E-4},"
                + "\"schedule\":{\"kind\":\"plateau\"},\"augmentation\":{\"flipProbability\":0.5,\"maxRotationDegrees\":30.0},"
                + "\"batchSize\":8,\"model\":{\"inputSize\":320},\"preprocessing\":{\"size\":320}}");
        return new GridSpec("mura", "standard", null, List.of(row));
    }

    /**
     * The paper's recipe (the standard preset), then each accuracy tool added to it alone, so that each row's
     * interval beside the first shows what that tool buys: 2 epochs of linear warm-up; random resized crops with
     * brightness/contrast/gamma jitter; label smoothing 0.1; mixup on half the batches; AdamW's decoupled weight decay;
     * an EMA of the weights; and test-time flips at evaluation (which evaluates the first row's model, trained once).
     */
    public static GridSpec recipes() {
        ObjectNode small = TrainDefaults.smallDataOverrides();
        List<GridRow> rows = List.of(
                row("paper", "{}"),
                row("warmup", "{\"schedule\":{\"warmupEpochs\":2}}"),
                new GridRow("crop-intensity", subset(small, "augmentation", "crop", "intensity")),
                row("label-smoothing", "{\"labelSmoothing\":0.1}"),
                row("mixup", "{\"mixing\":{\"mixupProbability\":0.5,\"cutmixProbability\":0.0,\"alpha\":0.4}}"),
                row("adamw", "{\"optimizer\":{\"kind\":\"adamw\",\"learningRate\":1.0E-4,\"weightDecay\":0.05}}"),
                row("ema", "{\"averaging\":{\"kind\":\"ema\",\"decay\":0.99,\"startEpoch\":0}}"),
                new GridRow("tta-flip", Json.MAPPER.createObjectNode(), TestTimeAugmentation.FLIP));
        return new GridSpec("recipes", "standard", null, rows);
    }

    /**
     * The paper's recipe against the small-data preset ({@link TrainDefaults#smallDataOverrides()}), the latter also
     * evaluated with test-time flips (its model, trained once).
     */
    public static GridSpec smallData() {
        ObjectNode small = TrainDefaults.smallDataOverrides();
        List<GridRow> rows = List.of(row("paper", "{}"), new GridRow("small-data", small),
                new GridRow("small-data-tta-flip", small, TestTimeAugmentation.FLIP));
        return new GridSpec("small-data", "standard", null, rows);
    }

    /** The keys of {@code section} in {@code tree} named {@code keys}, as a partial configuration. */
    private static ObjectNode subset(ObjectNode tree, String section, String... keys) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode part = out.putObject(section);
        for (String key : keys) {
            part.set(key, tree.path(section).get(key));
        }
        return out;
    }

    /**
     * Starting weights compared (the paper suspects ImageNet features fit radiographs poorly): DenseNet-121 from
     * scratch at [-1, 1], from ImageNet weights at ImageNet statistics, and from torchxrayvision's chest X-ray weights
     * at their [-1024, 1024] scale. DenseNet-121 because torchxrayvision's published DenseNets are 121s.
     *
     * @param xrayWeights torchxrayvision's weights file (a whole pickled model, read as data)
     */
    public static GridSpec pretrainedStarts(java.nio.file.Path xrayWeights) {
        if (xrayWeights == null || !java.nio.file.Files.isRegularFile(xrayWeights)) {
            throw new IllegalArgumentException("the " + PRETRAINED_STARTS + " grid's X-ray weights file " + xrayWeights
                    + " does not exist");
        }
        ObjectNode base = Json.MAPPER.createObjectNode();
        base.putObject("model").set("variant", Json.MAPPER.valueToTree(DenseNetVariant.DENSENET121));
        ObjectNode xray = Json.MAPPER.createObjectNode().put("pretrained", xrayWeights.toAbsolutePath().toString());
        xray.putObject("preprocessing").put("normalization", "XRAY");
        List<GridRow> rows = List.of(
                row("none", "{\"pretrained\":\"none\",\"preprocessing\":{\"normalization\":\"MINUS_ONE_TO_ONE\"}}"),
                row("imagenet", "{\"pretrained\":\"imagenet\",\"preprocessing\":{\"normalization\":\"IMAGENET\"}}"),
                new GridRow("xray", xray));
        return new GridSpec(PRETRAINED_STARTS, "standard", base, rows);
    }

    private static GridRow row(String name, String json) {
        try {
            return new GridRow(name, (ObjectNode) Json.MAPPER.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("bad built-in grid row " + name, e);
        }
    }
}
