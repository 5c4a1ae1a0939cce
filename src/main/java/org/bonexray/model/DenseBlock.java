package org.bonexray.model;

/** torchvision's {@code _DenseBlock}: dense layers named denselayer1..N, each adding growthRate channels. */
public final class DenseBlock extends DenseLayerRun {
    private final int outputChannels;

    /**
     * A dense block.
     *
     * @param layers number of dense layers
     * @param inputChannels channels entering the block
     * @param growthRate channels each layer adds
     * @param bnSize bottleneck multiplier
     */
    public DenseBlock(int layers, int inputChannels, int growthRate, int bnSize) {
        if (layers <= 0) {
            throw new IllegalArgumentException("a dense block needs at least one layer: " + layers);
        }
        int channels = inputChannels;
        for (int i = 1; i <= layers; i++) {
            DenseLayer layer = new DenseLayer(channels, growthRate, bnSize);
            addLayer("denselayer" + i, layer);
            channels = layer.outputChannels();
        }
        outputChannels = channels;
    }

    /** @return the number of dense layers */
    public int layers() {
        return denseLayers().size();
    }

    /**
     * Layers {@code from} to {@code to - 1} (0-based) as one run, sharing this block's layers and weights, for a
     * recomputing segment that cuts the block.
     *
     * @param from first layer, 0-based
     * @param to one past the last layer
     * @return the run
     */
    public DenseLayerRun range(int from, int to) {
        if (from < 0 || to > layers() || from >= to) {
            throw new IllegalArgumentException("no layers " + from + ".." + to + " in a block of " + layers());
        }
        DenseLayerRun run = new DenseLayerRun();
        for (int i = from; i < to; i++) {
            run.addLayer("denselayer" + (i + 1), denseLayers().get(i));
        }
        return run;
    }

    /** @return channels leaving the block */
    public int outputChannels() {
        return outputChannels;
    }
}
