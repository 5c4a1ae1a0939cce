package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Hands the network its weights on the device of the pass: the parameter's own array where it lives there, else
 * a copy made for this pass by a recorded {@code Tensor.to}, so that in training autograd carries the copy's
 * gradient back to the one weight the optimizer updates (data parallel over several GPUs, as PyTorch's
 * {@code DataParallel} replicates a module). DJL's own store mirrors weights on other devices with a copy that
 * takes its own gradient instead, which the update would then have to gather.
 *
 * <p>As in {@code DataParallel}, batch norms on a device other than the weights' normalise with their batch's
 * statistics but their running statistics are updated only where the weights live.
 */
class DeviceStore extends ParameterStore {
    private final NDManager owner;
    private final TorchScriptModule toDevice;

    /**
     * @param owner owns the copies (the batch's manager, so they are freed with the batch)
     * @param toDevice the recorded copy ({@link #compileCopy}), or null when every pass runs where the weights are
     */
    DeviceStore(NDManager owner, TorchScriptModule toDevice) {
        super(owner, false);
        this.owner = owner;
        this.toDevice = toDevice;
    }

    /** @return the module copying a tensor to the device of a second one, recorded by autograd when asked */
    static TorchScriptModule compileCopy(Device device) {
        return TorchScriptModule.compile(device, "ToDeviceOf", "x: Tensor, like: Tensor) -> Tensor",
                "return torch.to(x, like.device)");
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray value = parameter.getArray();
        if (value.getDevice().equals(device)) {
            return value;
        }
        if (toDevice == null) {
            throw new IllegalStateException("weight " + parameter.getName() + " lives on " + value.getDevice()
                    + " but the pass runs on " + device + ", and this forward pass copies to no other device");
        }
        try (NDArray like = owner.zeros(new ai.djl.ndarray.types.Shape(0), value.getDataType(), device)) {
            NDArray copy = toDevice.forward(new NDList(value, like), training, owner).singletonOrThrow();
            return copy;
        }
    }
}
