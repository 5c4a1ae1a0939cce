package org.bonexray.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bonexray.data.DataException;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.io.Json;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainDefaults;

/**
 * An experiment grid: a starting preset ({@code standard} or {@code demo}), a base of settings shared by every
 * row, and the rows. Read from YAML or JSON:
 *
 * <pre>
 * name: heads
 * preset: demo                 # optional, default standard
 * base: {epochs: 4}            # optional, any TrainConfig keys
 * rows:
 *   - name: linear
 *     model.head.hiddenWidths: []   # dotted keys are expanded
 *   - name: two-layers
 *     model: {head: {hiddenWidths: [512, 256]}}
 * </pre>
 *
 * @param name grid name, for titles
 * @param preset the TrainDefaults preset the base starts from
 * @param base settings shared by every row
 * @param rows the rows, with unique names
 */
public record GridSpec(String name, String preset, ObjectNode base, List<GridRow> rows) {

    public GridSpec {
        Objects.requireNonNull(name, "name");
        preset = preset == null ? "standard" : preset;
        TrainDefaults.preset(preset);
        base = base == null ? Json.MAPPER.createObjectNode() : base.deepCopy();
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("an experiment grid needs at least one row");
        }
        Set<String> names = new HashSet<>();
        for (GridRow row : rows) {
            if (!names.add(row.name())) {
                throw new IllegalArgumentException("two grid rows are named '" + row.name() + "'");
            }
        }
    }

    /** The configuration of one row before command-line overrides: preset, then base, then the row. */
    public TrainConfig rowConfig(GridRow row) {
        return TrainDefaults.merge(TrainDefaults.merge(TrainDefaults.preset(preset), base), row.overrides());
    }

    /** The grid as one JSON tree (as written to {@code grid.json}), dotted keys already expanded. */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("name", name);
        root.put("preset", preset);
        root.set("base", base);
        var array = root.putArray("rows");
        for (GridRow row : rows) {
            ObjectNode r = array.addObject();
            r.put("name", row.name());
            r.setAll(row.overrides());
            if (row.tta() != TestTimeAugmentation.NONE) {
                r.put("tta", row.tta().label());
            }
        }
        return root;
    }

    /** Reads a grid file (YAML or JSON). */
    public static GridSpec read(Path file) {
        JsonNode tree = TrainDefaults.readFile(file);
        try {
            String fallback = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            return fromJson(tree, fallback);
        } catch (IllegalArgumentException e) {
            throw new DataException(file, e.getMessage(), e);
        }
    }

    /** Builds a grid from its JSON tree; {@code fallbackName} names it when the tree does not. */
    public static GridSpec fromJson(JsonNode tree, String fallbackName) {
        JsonNode rowsNode = tree.path("rows");
        if (!rowsNode.isArray()) {
            throw new IllegalArgumentException("an experiment grid needs a list 'rows' of named settings");
        }
        List<GridRow> rows = new ArrayList<>();
        for (JsonNode r : rowsNode) {
            if (!r.isObject()) {
                throw new IllegalArgumentException("each grid row must be a mapping with a name, got " + r);
            }
            ObjectNode overrides = expand(r);
            JsonNode name = overrides.remove("name");
            JsonNode tta = overrides.remove("tta");
            rows.add(new GridRow(name == null ? null : name.asText(), overrides,
                    TestTimeAugmentation.parse(tta == null ? null : tta.asText())));
        }
        JsonNode base = tree.path("base");
        return new GridSpec(tree.path("name").asText(fallbackName), tree.path("preset").asText(null),
                base.isObject() ? expand(base) : null, rows);
    }

    /** Expands dotted keys ({@code optimizer.learningRate: 1e-4}) into nested objects. */
    static ObjectNode expand(JsonNode node) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String[] path = f.getKey().split("\\.");
            ObjectNode target = out;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = target.get(path[i]);
                target = child instanceof ObjectNode o ? o : target.putObject(path[i]);
            }
            JsonNode value = f.getValue().isObject() ? expand(f.getValue()) : f.getValue();
            JsonNode existing = target.get(path[path.length - 1]);
            if (existing instanceof ObjectNode o && value.isObject()) {
                o.setAll((ObjectNode) value);
            } else {
                target.set(path[path.length - 1], value);
            }
        }
        return out;
    }
}
