package org.bonexray.train.optim;

import ai.djl.ndarray.NDArray;

import java.util.Set;

/**
 * RMSprop as {@code torch.optim.RMSprop} (not centred): L2 weight decay added to the gradient, {@code eps}
 * added outside the square root, and an optional momentum buffer starting at zero.
 */
public class RmsProp extends StatefulOptimizer {
    static final String SQUARE_AVG = "square_avg";
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double alpha;
    private final double epsilon;
    private final double momentum;

    RmsProp(Builder builder) {
        super(builder);
        this.alpha = builder.alpha;
        this.epsilon = builder.epsilon;
        this.momentum = builder.momentum;
    }

    /** A builder with PyTorch's defaults (alpha 0.99, eps 1e-8, no momentum). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected Set<String> slotNames() {
        return Set.of(SQUARE_AVG, MOMENTUM_BUFFER);
    }

    @Override
    protected void apply(String parameterId, long step, double lr, NDArray weight, NDArray grad) {
        NDArray g = grad;
        if (weightDecay() != 0) {
            g = grad.add(weight.mul(f(weightDecay())));
        }
        NDArray squareAvg = zeroSlot(parameterId, SQUARE_AVG, weight);
        squareAvg.muli(f(alpha)).addi(g.mul(g).muli(f(1 - alpha)));
        NDArray avg = squareAvg.sqrt().addi(f(epsilon));
        if (momentum > 0) {
            NDArray buffer = zeroSlot(parameterId, MOMENTUM_BUFFER, weight);
            buffer.muli(f(momentum)).addi(g.div(avg));
            weight.addi(buffer.mul(f(-lr)));
        } else {
            weight.addi(g.mul(f(-lr)).divi(avg));
        }
    }

    /** Builder for {@link RmsProp}. */
    public static class Builder extends StatefulOptimizer.Builder<Builder> {
        private double alpha = 0.99;
        private double epsilon = 1e-8;
        private double momentum;

        /** Sets the smoothing constant of the squared-gradient average, in [0, 1). */
        public Builder optAlpha(double value) {
            this.alpha = OptimizerSpec.unitInterval("alpha", value);
            return this;
        }

        /** Sets the term added to the denominator, > 0. */
        public Builder optEpsilon(double value) {
            this.epsilon = OptimizerSpec.positive("epsilon", value);
            return this;
        }

        /** Sets the momentum factor, in [0, 1). */
        public Builder optMomentum(double value) {
            this.momentum = OptimizerSpec.unitInterval("momentum", value);
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public RmsProp build() {
            return new RmsProp(this);
        }
    }
}
