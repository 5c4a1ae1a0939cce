package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dense layers' forward pass in one call into libtorch: the operations {@code model.DenseLayer} chains (batch norm,
 * ReLU, 1x1 convolution, batch norm, ReLU, 3x3 convolution, concatenation), run by a {@link TorchScriptModule} over
 * the layers' own weights, in inference and in training, for a whole dense block or any run of its layers.
 *
 * <p>Why: DJL makes every operation a JNI call that wraps its result in a Java array registered with a manager,
 * about 7 per dense layer and 82 layers in DenseNet-169, and it has no in-place ReLU, so every ReLU writes a new
 * activation (and in training autograd keeps both it and the batch norm's output). Inside the module the loop runs
 * in libtorch and each ReLU rectifies its batch norm's output in place, as torchvision's {@code inplace=True}.
 * Outputs, running statistics and gradients are those of the DJL layers, bit for bit ({@code DenseBlockKernelTest});
 * the network's definition stays the DJL blocks, and this is their arithmetic, checked against them.
 *
 * <p>The caller hands the arrays as its {@code ParameterStore} gives them, so the store decides their precision
 * ({@link MixedPrecisionStore}'s bf16 convolution weights, fp32 batch norms): one cast policy for every path.
 * {@link ForwardPass} hands the kernel to the network in a {@link ForwardContext}; {@code model.DenseLayers} decides,
 * per dense block or run of layers, to call it.
 */
public final class DenseBlockKernel implements AutoCloseable {
    /** The arrays per layer: norm1 (gamma, beta, running mean, running variance), conv1, norm2 (4), conv2. */
    public static final int ARRAYS_PER_LAYER = 10;

    private final TorchScriptModule module;
    /** Dense layers run so far: how a test, or a profile, sees which path a pass took. */
    private final LongAdder layersRun = new LongAdder();

    private DenseBlockKernel(TorchScriptModule module) {
        this.module = module;
    }

    /** @return the kernel on the CPU; close it when done */
    public static DenseBlockKernel load() {
        return load(Device.cpu());
    }

    /**
     * Compiles the kernel and loads it into the PyTorch engine.
     *
     * @param device the device of the arrays it will run on
     * @return the kernel; close it when done
     */
    public static DenseBlockKernel load(Device device) {
        // torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled),
        // torch.conv2d(input, weight, bias, stride, padding): DenseLayer's convolutions are 1x1 unpadded, 3x3 padded 1.
        return new DenseBlockKernel(TorchScriptModule.compile(device, "DenseBlockKernel",
                "x: Tensor, p: List[Tensor], batch_stats: List[bool], momentum: float, eps: float) -> Tensor",
                "for i in range(len(p) // " + ARRAYS_PER_LAYER + "):",
                "  k = i * " + ARRAYS_PER_LAYER,
                "  h = torch.batch_norm(x, p[k], p[k + 1], p[k + 2], p[k + 3], batch_stats[2 * i], momentum, eps, True)",
                "  h = torch.conv2d(torch.relu_(h), p[k + 4])",
                "  h = torch.batch_norm(h, p[k + 5], p[k + 6], p[k + 7], p[k + 8], batch_stats[2 * i + 1], momentum, eps,"
                        + " True)",
                "  h = torch.conv2d(torch.relu_(h), p[k + 9], None, [1, 1], [1, 1])",
                "  x = torch.cat([x, h], 1)",
                "return x"));
    }

    /**
     * Runs dense layers.
     *
     * @param input the first layer's input, fp32 or bf16
     * @param arrays {@link #ARRAYS_PER_LAYER} arrays per layer, in that order, as the parameter store gives them
     * @param batchStatistics per batch norm (two per layer), whether it normalises with the batch's statistics
     * @param torchMomentum libtorch's running-statistics momentum (1 - DJL's; 0 keeps them as they are)
     * @param epsilon the batch norms' epsilon
     * @param training training mode (autograd records the call)
     * @return the last layer's output, attached to the input's manager (or the enclosing scope)
     */
    public NDArray forward(NDArray input, List<NDArray> arrays, boolean[] batchStatistics, double torchMomentum,
                           double epsilon, boolean training) {
        int layers = arrays.size() / ARRAYS_PER_LAYER;
        if (arrays.size() != layers * ARRAYS_PER_LAYER || layers == 0 || batchStatistics.length != 2 * layers) {
            throw new IllegalArgumentException(arrays.size() + " arrays and " + batchStatistics.length
                    + " batch-norm flags do not describe whole dense layers (" + ARRAYS_PER_LAYER + " and 2 per layer)");
        }
        layersRun.add(layers);
        PtNDArray[] tensors = new PtNDArray[arrays.size()];
        for (int i = 0; i < tensors.length; i++) {
            tensors[i] = (PtNDArray) arrays.get(i);
        }
        return module.call(input.getManager(), training || JniUtils.isGradMode(),
                IValue.from((PtNDArray) input),
                IValue.listFrom(tensors),
                IValue.listFrom(batchStatistics),
                IValue.from(torchMomentum),
                IValue.from(epsilon));
    }

    /** @return how many dense layers this kernel has run, over all calls */
    public long layersRun() {
        return layersRun.sum();
    }

    @Override
    public void close() {
        module.close();
    }
}
