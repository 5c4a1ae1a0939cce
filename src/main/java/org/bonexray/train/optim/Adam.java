package org.bonexray.train.optim;

import ai.djl.ndarray.NDArray;

import java.util.Set;

/**
 * Adam as {@code torch.optim.Adam} (amsgrad off): L2 weight decay added to the gradient, bias-corrected
 * moments, {@code eps} added after dividing the root of the second moment by its bias correction.
 */
public class Adam extends StatefulOptimizer {
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean decoupled;

    /** Builds Adam, or AdamW when {@code decoupled}. */
    protected Adam(Builder builder, boolean decoupled) {
        super(builder);
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.decoupled = decoupled;
    }

    /** A builder with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, no weight decay). */
    public static Builder builder() {
        return new Builder(false);
    }

    @Override
    protected Set<String> slotNames() {
        return Set.of(EXP_AVG, EXP_AVG_SQ);
    }

    @Override
    protected void apply(String parameterId, long step, double lr, NDArray weight, NDArray grad) {
        NDArray g = grad;
        double wd = weightDecay();
        if (wd != 0) {
            if (decoupled) {
                weight.muli(f(1 - lr * wd));
            } else {
                g = grad.add(weight.mul(f(wd)));
            }
        }
        NDArray expAvg = zeroSlot(parameterId, EXP_AVG, weight);
        NDArray expAvgSq = zeroSlot(parameterId, EXP_AVG_SQ, weight);
        expAvg.muli(f(beta1)).addi(g.mul(f(1 - beta1)));
        expAvgSq.muli(f(beta2)).addi(g.mul(g).muli(f(1 - beta2)));
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        NDArray denom = expAvgSq.sqrt().divi(f(Math.sqrt(biasCorrection2))).addi(f(epsilon));
        weight.addi(expAvg.mul(f(-stepSize)).divi(denom));
    }

    /** Builder for {@link Adam} and {@link AdamW}. */
    public static class Builder extends StatefulOptimizer.Builder<Builder> {
        private final boolean decoupled;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;

        Builder(boolean decoupled) {
            this.decoupled = decoupled;
        }

        /** Sets the first-moment decay, in [0, 1). */
        public Builder optBeta1(double value) {
            this.beta1 = OptimizerSpec.unitInterval("beta1", value);
            return this;
        }

        /** Sets the second-moment decay, in [0, 1). */
        public Builder optBeta2(double value) {
            this.beta2 = OptimizerSpec.unitInterval("beta2", value);
            return this;
        }

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
        public Adam build() {
            return decoupled ? new AdamW(this) : new Adam(this, false);
        }
    }
}
