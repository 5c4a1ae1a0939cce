package org.bonexray.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy on logits with optional per-sample weights, equal to PyTorch's
 * {@code BCEWithLogitsLoss(weight=w, reduction="mean")}: {@code sum_i(w_i * l_i) / N}, where
 * {@code l_i = max(x_i, 0) - x_i*y_i + log(1 + exp(-|x_i|))} and N is the batch size (not the sum of weights).
 * Without weights it is the plain mean.
 *
 * <p>Labels come as an NDList: [labels of shape (N) or (N, 1) with values 0 or 1, optional weights (N)];
 * predictions as a single logits array of shape (N) or (N, 1). The loss stays finite and its gradient,
 * {@code w_i * (sigmoid(x_i) - y_i) / N}, exact for logits of any size.
 */
public class WeightedBinaryCrossEntropy extends Loss {
    /** A loss named {@code WeightedBCE}. */
    public WeightedBinaryCrossEntropy() {
        this("WeightedBCE");
    }

    /** A loss with the given name (the key of its accumulator). */
    public WeightedBinaryCrossEntropy(String name) {
        super(name);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow().reshape(-1);
        long n = logits.size();
        NDArray target = labels.get(0).reshape(-1).toType(logits.getDataType(), false);
        if (target.size() != n) {
            throw new IllegalArgumentException("labels have " + target.size() + " values for " + n + " logits");
        }
        NDArray perSample = elementLosses(logits, target);
        if (labels.size() > 1) {
            NDArray weights = labels.get(1).reshape(-1).toType(logits.getDataType(), false);
            if (weights.size() != n) {
                throw new IllegalArgumentException("weights have " + weights.size() + " values for " + n + " logits");
            }
            perSample = perSample.mul(weights);
        }
        return perSample.mean();
    }

    /**
     * One sample's loss, the same formula on a double: the validation loss, computed from logits already in Java.
     *
     * @param logit the network's output
     * @param label 0 or 1
     * @return {@code max(x, 0) - x*y + log(1 + exp(-|x|))}
     */
    public static double of(double logit, double label) {
        return Math.max(logit, 0) - logit * label + Math.log1p(Math.exp(-Math.abs(logit)));
    }

    /**
     * Per-sample losses; max(x, 0) is written as (x + |x|) / 2 so that its gradient at 0 is 1/2 and the total
     * gradient there is sigmoid(0) - y, as the analytic one.
     */
    private static NDArray elementLosses(NDArray x, NDArray y) {
        NDArray positivePart = x.add(x.abs()).div(2f);
        NDArray softTail = x.abs().neg().exp().add(1f).log();
        return positivePart.sub(x.mul(y)).add(softTail);
    }
}
