package org.bonexray.train;

import java.util.List;

/** The validation metric that picks the best epoch and drives early stopping. */
final class SelectionMetric {
    static final List<String> NAMES = List.of("loss", "kappa", "auroc", "accuracy");

    private SelectionMetric() {
    }

    /** The epoch's value of the metric, oriented so that larger is better. */
    static double score(String name, EpochRecord r) {
        switch (name) {
            case "loss": return -r.validationLoss();
            case "kappa": return r.validationKappa();
            case "auroc": return r.validationAuroc() == null ? Double.NEGATIVE_INFINITY : r.validationAuroc();
            case "accuracy": return r.validationAccuracy();
            default: throw new IllegalArgumentException(name);
        }
    }
}
