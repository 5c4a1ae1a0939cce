package org.bonexray.train.optim;

import ai.djl.ndarray.NDArray;

import java.util.Set;

/**
 * Adagrad as {@code torch.optim.Adagrad} with learning-rate decay 0 and initial accumulator 0: L2 weight
 * decay added to the gradient, {@code eps} added outside the square root of the accumulated squares.
 */
public class Adagrad extends StatefulOptimizer {
    static final String SUM = "sum";

    private final double epsilon;

    Adagrad(Builder builder) {
        super(builder);
        this.epsilon = builder.epsilon;
    }

    /** A builder with PyTorch's defaults (eps 1e-10). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected Set<String> slotNames() {
        return Set.of(SUM);
    }

    @Override
    protected void apply(String parameterId, long step, double lr, NDArray weight, NDArray grad) {
        NDArray g = grad;
        if (weightDecay() != 0) {
            g = grad.add(weight.mul(f(weightDecay())));
        }
        NDArray sum = zeroSlot(parameterId, SUM, weight);
        sum.addi(g.mul(g));
        NDArray std = sum.sqrt().addi(f(epsilon));
        weight.addi(g.mul(f(-lr)).divi(std));
    }

    /** Builder for {@link Adagrad}. */
    public static class Builder extends StatefulOptimizer.Builder<Builder> {
        private double epsilon = 1e-10;

        /** Sets the term added to the denominator, > 0. */
        public Builder optEpsilon(double value) {
            this.epsilon = OptimizerSpec.positive("epsilon", value);
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Adagrad build() {
            return new Adagrad(this);
        }
    }
}
