package org.bonexray.train;

/** Running sums of one training epoch: weighted loss, correct predictions, images. */
final class EpochTotals {
    private double lossSum;
    private long correct;
    private long images;

    void add(double meanLoss, float[] logits, float[] labels) {
        lossSum += meanLoss * logits.length;
        images += logits.length;
        for (int i = 0; i < logits.length; i++) {
            if ((logits[i] > 0) == (labels[i] > 0.5f)) {
                correct++;
            }
        }
    }

    double meanLoss() {
        return images == 0 ? Double.NaN : lossSum / images;
    }

    double accuracy() {
        return images == 0 ? Double.NaN : (double) correct / images;
    }

    long images() {
        return images;
    }
}
