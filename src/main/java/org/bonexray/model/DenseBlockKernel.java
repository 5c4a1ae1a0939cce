package org.bonexray.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A dense block's forward pass in one call into libtorch: the operations {@link DenseLayer} chains (batch norm,
 * ReLU, 1x1 convolution, batch norm, ReLU, 3x3 convolution, concatenation), run by a {@link TorchScriptModule} over
 * the block's own weights, in inference and in training.
 *
 * <p>Why: DJL makes every operation a JNI call that wraps its result in a Java array registered with a manager,
 * about 7 per dense layer and 82 layers in DenseNet-169, and it has no in-place ReLU, so every ReLU writes a new
 * activation (and in training autograd keeps both it and the batch norm's output). Inside the module the loop runs
 * in libtorch and each ReLU rectifies its batch norm's output in place, as torchvision's {@code inplace=True}.
 * Outputs, running statistics and gradients are those of the DJL blocks, bit for bit ({@code DenseBlockKernelTest});
 * the network's definition stays the DJL blocks, and this is their arithmetic, checked against them.
 *
 * <p>The batch norms follow {@link BatchNormBlock}: batch statistics when training and not frozen, running
 * statistics updated with DJL's momentum, left alone when a pass is recomputed ({@link NetworkSegment#RECOMPUTING}).
 * In bf16 the convolution weights are cast inside the call, as {@link MixedPrecisionStore} does outside it (autograd
 * records the cast), and the batch norms keep their fp32 parameters. {@link ForwardPass} hands the kernel to the
 * network in the forward parameters; a forward without it (heatmaps, which read inside the network) runs the blocks.
 */
public final class DenseBlockKernel implements AutoCloseable {
    /** The key of the forward parameter that carries the kernel. */
    public static final String KEY = "bonexray.denseBlockKernel";
    /** The block's arrays per layer: norm1 (4), conv1, norm2 (4), conv2, in this order. */
    static final int ARRAYS_PER_LAYER = 10;
    /** libtorch's momentum and epsilon as DJL hands them to {@code torch.batch_norm} (its momentum is 1 - DJL's). */
    private static final double TORCH_MOMENTUM = 1f - BatchNormBlock.MOMENTUM;
    private static final double EPSILON = BatchNormBlock.EPSILON;

    private final TorchScriptModule module;
    private final PairList<String, Object> params;
    private final PairList<String, Object> recomputingParams;

    private DenseBlockKernel(TorchScriptModule module) {
        this.module = module;
        this.params = new PairList<>(List.of(KEY), List.of(this));
        this.recomputingParams = new PairList<>(List.of(KEY, NetworkSegment.RECOMPUTING), List.of(this, true));
    }

    /**
     * Compiles the kernel and loads it into the PyTorch engine.
     *
     * @return the kernel; close it when done
     */
    public static DenseBlockKernel load() {
        // torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled),
        // torch.conv2d(input, weight, bias, stride, padding): DenseLayer's convolutions are 1x1 unpadded, 3x3 padded 1.
        return new DenseBlockKernel(TorchScriptModule.compile("DenseBlockKernel",
                "x: Tensor, p: List[Tensor], batch_stats: List[bool], momentum: float, eps: float) -> Tensor",
                "for i in range(len(p) // " + ARRAYS_PER_LAYER + "):",
                "  k = i * " + ARRAYS_PER_LAYER,
                "  h = torch.batch_norm(x, p[k], p[k + 1], p[k + 2], p[k + 3], batch_stats[2 * i], momentum, eps, True)",
                "  h = torch.conv2d(torch.relu_(h), p[k + 4].to(x.dtype))",
                "  h = torch.batch_norm(h, p[k + 5], p[k + 6], p[k + 7], p[k + 8], batch_stats[2 * i + 1], momentum, eps,"
                        + " True)",
                "  h = torch.conv2d(torch.relu_(h), p[k + 9].to(x.dtype), None, [1, 1], [1, 1])",
                "  x = torch.cat([x, h], 1)",
                "return x"));
    }

    /**
     * @param recomputing whether the pass repeats one already run on the same input (running statistics stay)
     * @return forward parameters that hand this kernel to every dense block of a network
     */
    public PairList<String, Object> params(boolean recomputing) {
        return recomputing ? recomputingParams : params;
    }

    /**
     * @param params a forward call's extra parameters, or null
     * @return the kernel they carry, or null
     */
    static DenseBlockKernel from(PairList<String, Object> params) {
        return params == null ? null : (DenseBlockKernel) params.get(KEY);
    }

    /**
     * @param block the dense block
     * @param input its input, fp32 or bf16
     * @param training training mode
     * @param recomputing whether this repeats a pass already run on the same input
     * @return the block's output, attached to the input's manager (or the enclosing scope)
     */
    NDArray forward(DenseBlock block, NDArray input, boolean training, boolean recomputing) {
        List<Parameter> parameters = block.parameterList();
        if (parameters.size() != block.layers() * ARRAYS_PER_LAYER) {
            throw new IllegalStateException("a dense block of " + block.layers() + " layers has "
                    + parameters.size() + " arrays, expected " + ARRAYS_PER_LAYER + " per layer");
        }
        PtNDArray[] arrays = new PtNDArray[parameters.size()];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = (PtNDArray) parameters.get(i).getArray();
        }
        // Read at every call, where BatchNormBlock keeps it: freezing may change between calls.
        boolean[] batchStatistics = new boolean[2 * block.layers()];
        int norm = 0;
        for (DenseLayer layer : block.denseLayers()) {
            batchStatistics[norm++] = training && !layer.norm1().isFrozen();
            batchStatistics[norm++] = training && !layer.norm2().isFrozen();
        }
        double momentum = recomputing ? 0 : TORCH_MOMENTUM;
        return module.call(input.getManager(), training || JniUtils.isGradMode(),
                IValue.from((PtNDArray) input),
                IValue.listFrom(arrays),
                IValue.listFrom(batchStatistics),
                IValue.from(momentum),
                IValue.from(EPSILON));
    }

    @Override
    public void close() {
        module.close();
    }
}
