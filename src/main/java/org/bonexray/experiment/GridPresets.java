package org.bonexray.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.bonexray.io.Json;

/**
 * The built-in grids: the reproduced paper's Table 1 (seven heads, initialisations and freezing policies) and
 * MURA's own training recipe. Both start from the standard preset (DenseNet-169 at 224 px, Adam 1e-4, plateau
 * schedule, class-weighted loss); shrink them for a quick run with the command's overrides.
 */
public final class GridPresets {
    /** Names accepted by {@link #named(String)}. */
    public static final List<String> NAMES = List.of("paper-table1", "mura");

    private GridPresets() {
    }

    /** The preset grid called {@code name}. */
    public static GridSpec named(String name) {
        return switch (name) {
            case "paper-table1" -> paperTable1();
            case "mura" -> mura();
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

    private static GridRow row(String name, String json) {
        try {
            return new GridRow(name, (ObjectNode) Json.MAPPER.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("bad built-in grid row " + name, e);
        }
    }
}
