package org.bonexray.model.weights.export;

import java.util.List;
import org.bonexray.model.HeadBlock;

/**
 * The state-dict keys of an export: the backbone under torchvision's own ({@code features.*}), the head as the
 * {@code torch.nn.Sequential} that replaces torchvision's {@code classifier}: {@code head.CHILD.PARAM} becomes
 * {@code classifier.I.PARAM}, I being the child's position among fc1, bn1, relu1, drop1, ..., out (ReLU and
 * Dropout hold no weights but keep their positions, as in the Sequential).
 */
final class ExportNames {
    static final String HEAD = "head.";
    static final String CLASSIFIER = "classifier.";

    private final List<String> children;

    ExportNames(HeadBlock head) {
        this.children = head.childNames();
    }

    /** bonexray's torchvision key to the export's. */
    String toExport(String key) {
        if (!key.startsWith(HEAD)) {
            return key;
        }
        String rest = key.substring(HEAD.length());
        int dot = rest.indexOf('.');
        int index = children.indexOf(rest.substring(0, dot));
        if (index < 0) {
            throw new IllegalArgumentException("the head has no layer for " + key);
        }
        return CLASSIFIER + index + rest.substring(dot);
    }

    /** The export's key back to bonexray's torchvision key. */
    String fromExport(String key) {
        if (!key.startsWith(CLASSIFIER)) {
            return key;
        }
        String rest = key.substring(CLASSIFIER.length());
        int dot = rest.indexOf('.');
        int index = dot > 0 && rest.substring(0, dot).matches("\\d{1,3}") ? Integer.parseInt(rest.substring(0, dot)) : -1;
        if (index < 0 || index >= children.size()) {
            throw new IllegalArgumentException("the export's key " + key + " names no layer of the head " + children);
        }
        return HEAD + children.get(index) + rest.substring(dot);
    }
}
