package org.bonexray.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bonexray.data.image.TestTimeAugmentation;

/**
 * One named row of an experiment grid: a partial training configuration laid over the grid's base, and how the row
 * is evaluated.
 *
 * @param name the row's name, also its folder name in the grid directory
 * @param overrides partial {@link org.bonexray.train.TrainConfig} tree (nested objects, never dotted keys)
 * @param tta test-time augmentation of the row's evaluation (key {@code tta} of a grid file's row)
 */
public record GridRow(String name, ObjectNode overrides, TestTimeAugmentation tta) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public GridRow {
        Objects.requireNonNull(overrides, "overrides");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a grid row needs a name of letters, digits, '.', '_' or '-' "
                    + "(it names a folder), got '" + name + "'");
        }
        overrides = overrides.deepCopy();
        tta = tta == null ? TestTimeAugmentation.NONE : tta;
    }

    /** A row evaluated without test-time augmentation. */
    public GridRow(String name, ObjectNode overrides) {
        this(name, overrides, TestTimeAugmentation.NONE);
    }

    /** A compact one-line description of the overrides, for tables. */
    public String describe() {
        StringBuilder out = flatten("", overrides, new StringBuilder());
        if (tta != TestTimeAugmentation.NONE) {
            out.append(out.length() == 0 ? "" : ", ").append("tta=").append(tta.label());
        }
        return out.toString();
    }

    private static StringBuilder flatten(String prefix, JsonNode node, StringBuilder out) {
        node.fields().forEachRemaining(f -> {
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isObject() && f.getValue().size() > 0) {
                flatten(key, f.getValue(), out);
            } else {
                out.append(out.length() == 0 ? "" : ", ").append(key).append('=').append(f.getValue().isTextual()
                        ? f.getValue().asText() : f.getValue().toString());
            }
        });
        return out;
    }
}
