package org.bonexray.model;

/** torchvision's {@code _DenseBlock}: dense layers named denselayer1..N, each adding growthRate channels. */
public final class DenseBlock extends NamedSequentialBlock {
    private final int outputChannels;

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
        for (int i = 1; i <= layers; i++) {
            DenseLayer layer = new DenseLayer(channels, growthRate, bnSize, scoped);
            add("denselayer" + i, layer);
            channels = layer.outputChannels();
        }
        outputChannels = channels;
    }

    /** @return channels leaving the block */
    public int outputChannels() {
        return outputChannels;
    }
}
