package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.EnumSet;
import java.util.Set;

/**
 * Hands the network bfloat16 copies of its convolution and linear weights, cast from the fp32 weights at every
 * use, and the batch norms' own fp32 parameters and running statistics (libtorch normalises a bf16 input with
 * fp32 statistics, as autocast does). Casting at every use keeps no stale copy when the weights change, and in
 * training lets autograd carry the gradient back to the fp32 weight; it costs one pass over the weights per
 * forward, small beside the convolutions.
 */
final class MixedPrecisionStore extends DeviceStore {
    private static final Set<Parameter.Type> FP32_TYPES = EnumSet.of(
            Parameter.Type.GAMMA, Parameter.Type.BETA, Parameter.Type.RUNNING_MEAN, Parameter.Type.RUNNING_VAR);

    private final NDManager owner;
    private final Bfloat16Casts casts;

    /**
     * @param owner owns the copies (the batch's manager, so they are freed with the batch)
     * @param casts the bf16 casts
     * @param toDevice the recorded copy to another device ({@link DeviceStore}), or null
     */
    MixedPrecisionStore(NDManager owner, Bfloat16Casts casts, TorchScriptModule toDevice) {
        super(owner, toDevice);
        this.owner = owner;
        this.casts = casts;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        if (value == null || FP32_TYPES.contains(parameter.getType())) {
            return value;
        }
        NDArray copy = casts.toBfloat16(value, training);
        copy.attach(owner);
        return copy;
    }
}
