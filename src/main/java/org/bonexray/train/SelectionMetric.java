package org.bonexray.train;

import java.util.List;

/** The validation metric that picks the best epoch and drives early stopping. */
final class SelectionMetric {
    static final List<String> NAMES = List.of("loss", "kappa", "auroc", "accuracy");

    private SelectionMetric() {
    }

    /** The epoch's value of the metric, oriented so that larger is better. */
    static double score(String name, EpochRecord r) {
        return score(name, r.validationLoss(), r.validationAccuracy(), r.validationKappa(), r.validationAuroc());
    }

    /** The value of the metric for the averaged weights of an epoch. */
    static double score(String name, EpochRecord.Averaged a) {
        return score(name, a.loss(), a.accuracy(), a.kappa(), a.auroc());
    }

    /** The value of the metric for a validation's loss and study metrics. */
    static double score(String name, double loss, org.bonexray.eval.BinaryMetrics m) {
        return score(name, loss, m.accuracy(), m.kappa() == null ? 0 : m.kappa(), m.auroc());
    }

    private static double score(String name, double loss, double accuracy, double kappa, Double auroc) {
        switch (name) {
            case "loss": return -loss;
            case "kappa": return kappa;
            case "auroc": return auroc == null ? Double.NEGATIVE_INFINITY : auroc;
            case "accuracy": return accuracy;
            default: throw new IllegalArgumentException(name);
        }
    }
}
