package org.bonexray.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named row of an experiment grid: a partial training configuration laid over the grid's base.
 *
 * @param name the row's name, also its folder name in the grid directory
 * @param overrides partial {@link org.bonexray.train.TrainConfig} tree (nested objects, never dotted keys)
 */
public record GridRow(String name, ObjectNode overrides) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public GridRow {
        Objects.requireNonNull(overrides, "overrides");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a grid row needs a name of letters, digits, '.', '_' or '-' "
                    + "(it names a folder), got '" + name + "'");
        }
        overrides = overrides.deepCopy();
    }

    /** A compact one-line description of the overrides, for tables. */
    public String describe() {
        return flatten("", overrides, new StringBuilder()).toString();
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
