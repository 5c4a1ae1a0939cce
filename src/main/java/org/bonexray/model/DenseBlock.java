package org.bonexray.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/** torchvision's {@code _DenseBlock}: dense layers named denselayer1..N, each adding growthRate channels. */
public final class DenseBlock extends NamedSequentialBlock {
    private final int outputChannels;
    private final List<DenseLayer> denseLayers;
    /**
     * The block's parameters in DJL's order, collected once: {@code getParameters()} builds a new list with every
     * name joined anew on each call, work a forward pass through the kernel need not repeat 82 times.
     */
    private final List<Parameter> parameters;

    /**
     * A dense block.
     *
     * @param layers number of dense layers
     * @param inputChannels channels entering the block
     * @param growthRate channels each layer adds
     * @param bnSize bottleneck multiplier
     * @param scoped whether each layer, and the block as a whole, releases intermediates early (the block
     *     keeps only its last layer's output, though autograd still holds what backward needs)
     */
    public DenseBlock(int layers, int inputChannels, int growthRate, int bnSize, boolean scoped) {
        super(scoped);
        if (layers <= 0) {
            throw new IllegalArgumentException("a dense block needs at least one layer: " + layers);
        }
        int channels = inputChannels;
        List<DenseLayer> built = new ArrayList<>(layers);
        for (int i = 1; i <= layers; i++) {
            DenseLayer layer = new DenseLayer(channels, growthRate, bnSize, scoped);
            add("denselayer" + i, layer);
            built.add(layer);
            channels = layer.outputChannels();
        }
        outputChannels = channels;
        denseLayers = List.copyOf(built);
        parameters = List.copyOf(getParameters().values());
    }

    /** @return the number of dense layers */
    public int layers() {
        return denseLayers.size();
    }

    /** @return the dense layers, in order */
    List<DenseLayer> denseLayers() {
        return denseLayers;
    }

    /** @return the block's parameters in the order of {@code getParameters()} */
    List<Parameter> parameterList() {
        return parameters;
    }

    /** Runs in one call when the forward parameters carry a {@link DenseBlockKernel}. */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        DenseBlockKernel kernel = DenseBlockKernel.from(params);
        if (kernel != null) {
            return new NDList(kernel.forward(this, inputs.singletonOrThrow(), training,
                    NetworkSegment.isRecomputing(params)));
        }
        return super.forwardInternal(parameterStore, inputs, training, params);
    }

    /** @return channels leaving the block */
    public int outputChannels() {
        return outputChannels;
    }
}
