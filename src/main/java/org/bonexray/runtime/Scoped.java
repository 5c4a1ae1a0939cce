package org.bonexray.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a computation in its own {@link NDScope} and keeps only its result.
 *
 * <p>An op's result belongs to the manager of its first input, so without a scope every intermediate of a
 * DenseNet forward pass (batch-norm outputs, ReLUs, bottlenecks) would stay allocated until the batch's
 * manager closes. Closing the Java handles is safe for training: PyTorch's autograd graph holds its own
 * references to the tensors that backward needs. Assumes parameters already live on the input's device
 * (CPU here), so that the parameter store creates no cached copies inside the scope.
 */
public final class Scoped {
    private Scoped() {
    }

    /**
     * Computes, closes every array created meanwhile except the result, and hands the result to the
     * enclosing scope, if there is one.
     *
     * @param computation the work producing one array
     * @return the result, still open
     */
    public static NDList keepOnly(Supplier<NDArray> computation) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = computation.get();
            NDScope.unregister(result);
        }
        NDScope.register(result);
        return new NDList(result);
    }
}
