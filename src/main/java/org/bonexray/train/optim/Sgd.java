package org.bonexray.train.optim;

import ai.djl.ndarray.NDArray;

import java.util.Set;

/**
 * SGD as {@code torch.optim.SGD} with dampening 0: L2 weight decay added to the gradient, a momentum buffer
 * that starts as a copy of the first gradient, and optional Nesterov momentum.
 */
public class Sgd extends StatefulOptimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double momentum;
    private final boolean nesterov;

    Sgd(Builder builder) {
        super(builder);
        if (builder.nesterov && builder.momentum <= 0) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0");
        }
        this.momentum = builder.momentum;
        this.nesterov = builder.nesterov;
    }

    /** A builder without momentum or weight decay. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected Set<String> slotNames() {
        return Set.of(MOMENTUM_BUFFER);
    }

    @Override
    protected void apply(String parameterId, long step, double lr, NDArray weight, NDArray grad) {
        NDArray d = grad;
        if (weightDecay() != 0) {
            d = grad.add(weight.mul(f(weightDecay())));
        }
        if (momentum != 0) {
            NDArray buffer = slotOrNull(parameterId, MOMENTUM_BUFFER);
            if (buffer == null) {
                buffer = copySlot(parameterId, MOMENTUM_BUFFER, d);
            } else {
                buffer.muli(f(momentum)).addi(d);
            }
            d = nesterov ? d.add(buffer.mul(f(momentum))) : buffer;
        }
        weight.addi(d.mul(f(-lr)));
    }

    /** Builder for {@link Sgd}. */
    public static class Builder extends StatefulOptimizer.Builder<Builder> {
        private double momentum;
        private boolean nesterov;

        /** Sets the momentum factor, in [0, 1). */
        public Builder optMomentum(double value) {
            this.momentum = OptimizerSpec.unitInterval("momentum", value);
            return this;
        }

        /** Uses Nesterov momentum (needs momentum > 0). */
        public Builder optNesterov(boolean value) {
            this.nesterov = value;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Sgd build() {
            return new Sgd(this);
        }
    }
}
