package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Casts arrays between fp32 and bfloat16 inside libtorch, for DJL 0.36, whose PyTorch engine cannot name bf16:
 * {@code toType(BFLOAT16)} and creating a bf16 array abort the JVM (the engine's type switch stops at
 * complex64). Every other operation passes tensors through by handle, whatever their type, so a bf16 tensor
 * made inside libtorch runs through DJL's convolutions, batch norms and linear layers (they report their type as
 * {@code UNKNOWN}).
 *
 * <p>The casts are two one-line {@link TorchScriptModule}s ({@code torch.to(x, dtype)}), so there is no Python at
 * build or run time and no second model definition: the network stays the DJL one. In training mode the casts are
 * recorded by autograd, so gradients of bf16 weights copies reach the fp32 weights as fp32, the way autocast
 * works. A cast keeps the memory format (a channels-last batch stays channels-last).
 */
public final class Bfloat16Casts implements AutoCloseable {
    /** c10::ScalarType codes of the two targets. */
    private static final int TORCH_FLOAT32 = 6;
    private static final int TORCH_BFLOAT16 = 15;

    private final TorchScriptModule toBfloat16;
    private final TorchScriptModule toFloat32;

    private Bfloat16Casts(TorchScriptModule toBfloat16, TorchScriptModule toFloat32) {
        this.toBfloat16 = toBfloat16;
        this.toFloat32 = toFloat32;
    }

    /**
     * Compiles the two cast modules and loads them into the PyTorch engine.
     *
     * @param device the device of the arrays they will cast
     * @return the loaded casts; close them when done
     */
    public static Bfloat16Casts load(Device device) {
        TorchScriptModule bf16 = cast(device, "ToBfloat16", TORCH_BFLOAT16);
        try {
            return new Bfloat16Casts(bf16, cast(device, "ToFloat32", TORCH_FLOAT32));
        } catch (RuntimeException e) {
            bf16.close();
            throw e;
        }
    }

    private static TorchScriptModule cast(Device device, String className, int scalarType) {
        return TorchScriptModule.compile(device, className, "x: Tensor) -> Tensor", "return torch.to(x, " + scalarType + ")");
    }

    /**
     * @param x an fp32 array
     * @param training whether autograd should record the cast (training steps)
     * @return x in bfloat16, attached to x's manager
     */
    public NDArray toBfloat16(NDArray x, boolean training) {
        return toBfloat16.forward(new NDList(x), training, x.getManager()).singletonOrThrow();
    }

    /**
     * @param x a bfloat16 (or any floating) array
     * @param training whether autograd should record the cast
     * @return x in fp32, attached to x's manager
     */
    public NDArray toFloat32(NDArray x, boolean training) {
        return toFloat32.forward(new NDList(x), training, x.getManager()).singletonOrThrow();
    }

    @Override
    public void close() {
        try (toBfloat16; toFloat32) {
            // both closed, even if one fails
        }
    }
}
