package org.bonexray.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bonexray.runtime.TorchScriptModule;

/**
 * Adam as {@code torch.optim.Adam} (amsgrad off): L2 weight decay added to the gradient, bias-corrected
 * moments, {@code eps} added after dividing the root of the second moment by its bias correction.
 *
 * <p>A whole {@link #step} runs libtorch's fused Adam kernel ({@code torch._fused_adam_}, what
 * {@code torch.optim.Adam(fused=True)} calls; {@code _fused_adamw_} for AdamW) once over all weights, through a
 * {@link TorchScriptModule} this class writes: one pass over each weight and its moments instead of a dozen array
 * operations per weight, each a call through JNI. {@link #update} on one weight keeps the array-by-array form; the
 * two agree to float rounding.
 */
public class Adam extends StatefulOptimizer {
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean decoupled;
    private TorchScriptModule fused;

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

    @Override
    protected void applyAll(List<Update> updates) {
        if (updates.isEmpty()) {
            return;
        }
        // One kernel call per (step, rate): normally the whole network, unless parts were frozen for a while.
        Map<List<Object>, List<Update>> groups = new LinkedHashMap<>();
        for (Update u : updates) {
            groups.computeIfAbsent(List.of(u.step(), u.lr()), k -> new ArrayList<>()).add(u);
        }
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // the kernel writes the weights in place, which autograd must not see
        // The step tensor and the kernel on the weights' device: the fused kernel takes its tensors from one device.
        try (NDManager temporary = NDManager.newBaseManager(updates.get(0).weight().getDevice())) {
            for (List<Update> group : groups.values()) {
                Update first = group.get(0);
                PtNDArray[] weights = new PtNDArray[group.size()];
                PtNDArray[] grads = new PtNDArray[group.size()];
                PtNDArray[] expAvgs = new PtNDArray[group.size()];
                PtNDArray[] expAvgSqs = new PtNDArray[group.size()];
                for (int i = 0; i < group.size(); i++) {
                    Update u = group.get(i);
                    weights[i] = (PtNDArray) u.weight();
                    grads[i] = (PtNDArray) u.grad();
                    expAvgs[i] = (PtNDArray) zeroSlot(u.parameterId(), EXP_AVG, u.weight());
                    expAvgSqs[i] = (PtNDArray) zeroSlot(u.parameterId(), EXP_AVG_SQ, u.weight());
                }
                // The kernel reads the step from a float tensor, as torch.optim keeps it.
                PtNDArray step = (PtNDArray) temporary.create((float) first.step());
                fusedKernel(temporary.getDevice()).run(IValue.listFrom(weights), IValue.listFrom(grads), IValue.listFrom(expAvgs),
                        IValue.listFrom(expAvgSqs), IValue.from(step), IValue.from(first.lr()));
            }
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    private TorchScriptModule fusedKernel(Device device) {
        if (fused == null) {
            String kernel = decoupled ? "_fused_adamw_" : "_fused_adam_";
            fused = TorchScriptModule.compile(device, decoupled ? "FusedAdamW" : "FusedAdam",
                    "params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], "
                            + "step: Tensor, lr: float) -> Tensor",
                    "steps = [step for _ in params]",
                    "torch." + kernel + "(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=" + beta1
                            + ", beta2=" + beta2 + ", weight_decay=" + weightDecay() + ", eps=" + epsilon
                            + ", amsgrad=False, maximize=False)",
                    "torch._foreach_zero_(grads)",
                    "return step");
        }
        return fused;
    }

    @Override
    public synchronized void close() {
        try {
            super.close();
        } finally {
            if (fused != null) {
                fused.close();
                fused = null;
            }
        }
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
