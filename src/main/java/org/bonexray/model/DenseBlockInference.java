package org.bonexray.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A dense block's inference pass in one call into libtorch: the same operations {@link DenseLayer} chains
 * (batch norm with running statistics, ReLU, 1x1 convolution, batch norm, ReLU, 3x3 convolution, concatenation),
 * run by a {@link TorchScriptModule} over the block's own weights.
 *
 * <p>Why: DJL makes every operation a JNI call that wraps its result in a Java array registered with a manager,
 * about 7 per dense layer and 82 layers in DenseNet-169, and it has no in-place ReLU, so every ReLU writes a new
 * activation. Inside the module the loop runs in libtorch and each ReLU rectifies its batch norm's output in place
 * (as torchvision's {@code inplace=True}): DenseNet-169 inference 10-18% faster at batches 1-32, with outputs
 * bit for bit those of the DJL blocks ({@code DenseBlockInferenceTest}). The network's definition stays the DJL
 * blocks; this is their arithmetic, checked against them.
 *
 * <p>Inference only: {@link DenseBlock} takes this path when it is not training and autograd is off on the thread
 * ({@link ForwardPass} passes the kernel in the forward parameters); heatmaps, which need gradients, and training
 * use the blocks. In bf16 the convolution weights are cast inside the call, as {@link MixedPrecisionStore} does
 * outside it, and the batch norms keep their fp32 parameters.
 */
public final class DenseBlockInference implements AutoCloseable {
    /** The key of the forward parameter that carries the kernel. */
    public static final String KEY = "bonexray.denseBlockInference";
    /** The block's arrays per layer: norm1 (4), conv1, norm2 (4), conv2, in this order. */
    static final int ARRAYS_PER_LAYER = 10;

    private final TorchScriptModule module;
    private final PairList<String, Object> params;

    private DenseBlockInference(TorchScriptModule module) {
        this.module = module;
        this.params = new PairList<>(List.of(KEY), List.of(this));
    }

    /**
     * Compiles the kernel and loads it into the PyTorch engine.
     *
     * @return the kernel; close it when done
     */
    public static DenseBlockInference load() {
        // torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled),
        // torch.conv2d(input, weight, bias, stride, padding): DenseLayer's convolutions are 1x1 unpadded, 3x3 padded 1.
        return new DenseBlockInference(TorchScriptModule.compile("DenseBlockInference",
                "x: Tensor, p: List[Tensor], growth: int) -> Tensor",
                "for i in range(len(p) // " + ARRAYS_PER_LAYER + "):",
                "  k = i * " + ARRAYS_PER_LAYER,
                "  h = torch.batch_norm(x, p[k], p[k + 1], p[k + 2], p[k + 3], False, 0.1, "
                        + BatchNormBlock.EPSILON + ", True)",
                "  h = torch.conv2d(torch.relu_(h), p[k + 4].to(x.dtype))",
                "  h = torch.batch_norm(h, p[k + 5], p[k + 6], p[k + 7], p[k + 8], False, 0.1, "
                        + BatchNormBlock.EPSILON + ", True)",
                "  h = torch.conv2d(torch.relu_(h), p[k + 9].to(x.dtype), None, [1, 1], [1, 1])",
                "  x = torch.cat([x, h], 1)",
                "return x"));
    }

    /** @return forward parameters that hand this kernel to every dense block of a network */
    public PairList<String, Object> params() {
        return params;
    }

    /**
     * @param params a forward call's extra parameters, or null
     * @return the kernel they carry, or null
     */
    static DenseBlockInference from(PairList<String, Object> params) {
        return params == null ? null : (DenseBlockInference) params.get(KEY);
    }

    /** @return whether a block may take this path now: inference, with autograd off on this thread */
    static boolean applies(boolean training) {
        return !training && !JniUtils.isGradMode();
    }

    /**
     * @param block the dense block
     * @param input its input, fp32 or bf16
     * @return the block's output, attached to the input's manager
     */
    NDArray forward(DenseBlock block, NDArray input) {
        ParameterList parameters = block.getParameters();
        if (parameters.size() != block.layers() * ARRAYS_PER_LAYER) {
            throw new IllegalStateException("a dense block of " + block.layers() + " layers has "
                    + parameters.size() + " arrays, expected " + ARRAYS_PER_LAYER + " per layer");
        }
        List<PtNDArray> arrays = new ArrayList<>(parameters.size());
        for (Pair<String, Parameter> parameter : parameters) {
            arrays.add((PtNDArray) parameter.getValue().getArray());
        }
        NDManager owner = input.getManager();
        return module.call(owner,
                IValue.from((PtNDArray) input),
                IValue.listFrom(arrays.toArray(new PtNDArray[0])),
                IValue.from((long) block.growthRate()));
    }

    @Override
    public void close() {
        module.close();
    }
}
