package org.bonexray.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.bonexray.runtime.Scoped;

/**
 * torchvision's {@code _DenseLayer}: BN-ReLU-Conv1x1-BN-ReLU-Conv3x3, output = concat(input, new features).
 *
 * <p>This class is the layer's definition (children, weights, names) and its DJL arithmetic. How it runs: every
 * forward pass goes through {@code runtime.ForwardPass}, which runs the network whole, or, in a recomputing
 * training step, as {@link NetworkSegment}s; inside either, the dense layers are reached through a
 * {@link DenseLayerRun} (a {@link DenseBlock}, or the part of one a segment holds), which calls the
 * {@code runtime.DenseBlockKernel} once for all its layers. The DJL operations below run only in a forward
 * without that context: heatmaps reading inside the network, and the tests that check the kernel against them.
 *
 * <p>Children: norm1, relu1, conv1 (1x1 to bnSize * growthRate, no bias), norm2, relu2, conv2 (3x3, pad 1,
 * to growthRate, no bias). Dropout is omitted as torchvision's default drop rate is 0. torchvision concatenates
 * the list of earlier outputs at each layer's input; concatenating at each output is the same arithmetic.
 */
public final class DenseLayer extends NamedSequentialBlock {
    private final int inputChannels;
    private final int growthRate;
    private final BatchNormBlock norm1;
    private final BatchNormBlock norm2;

    /**
     * One dense layer.
     *
     * @param inputChannels channels entering the layer
     * @param growthRate channels it adds
     * @param bnSize bottleneck multiplier
     */
    public DenseLayer(int inputChannels, int growthRate, int bnSize) {
        if (inputChannels <= 0 || growthRate <= 0 || bnSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        this.inputChannels = inputChannels;
        this.growthRate = growthRate;
        norm1 = new BatchNormBlock(inputChannels);
        norm2 = new BatchNormBlock(bnSize * growthRate);
        add("norm1", norm1);
        add("relu1", Activation.reluBlock());
        add("conv1", conv(1, 0, bnSize * growthRate));
        add("norm2", norm2);
        add("relu2", Activation.reluBlock());
        add("conv2", conv(3, 1, growthRate));
    }

    static Conv2d conv(int kernel, int padding, int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(padding, padding))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    /** @return the batch norm before the 1x1 convolution */
    public BatchNormBlock norm1() {
        return norm1;
    }

    /** @return the batch norm before the 3x3 convolution */
    public BatchNormBlock norm2() {
        return norm2;
    }

    /** @return channels leaving the layer */
    public int outputChannels() {
        return inputChannels + growthRate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        // Released as soon as the output exists: autograd keeps what backward needs.
        return Scoped.keepOnly(() -> concatenated(ps, input, training, params));
    }

    private NDArray concatenated(
            ParameterStore ps, NDArray input, boolean training, PairList<String, Object> params) {
        NDArray added = chain(ps, new NDList(input), training, params).singletonOrThrow();
        return input.concat(added, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1) + growthRate, in.get(2), in.get(3))};
    }
}
