package org.bonexray.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * Builds DenseNets exactly as torchvision's {@code densenet.py} (memory_efficient=False), with its names.
 *
 * <p>Huang et al., "Densely Connected Convolutional Networks", CVPR 2017.
 */
public final class DenseNet {
    private DenseNet() {
    }

    /**
     * torchvision's {@code features}: conv0, norm0, relu0, pool0, denseblock1..4, transition1..3, norm5.
     * Each dense layer, dense block, transition and the whole block release their intermediates as soon as
     * their output exists, so a forward pass leaves only norm5's output attached to the input's manager.
     *
     * @param variant the DenseNet numbers
     * @return the feature extractor, output (N, numFeatures, H/32, W/32)
     */
    public static NamedSequentialBlock features(DenseNetVariant variant) {
        NamedSequentialBlock features = new NamedSequentialBlock(true)
                .add("conv0", Conv2d.builder()
                        .setKernelShape(new Shape(7, 7))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(3, 3))
                        .setFilters(variant.numInitFeatures())
                        .optBias(false)
                        .build())
                .add("norm0", new BatchNormBlock(variant.numInitFeatures()))
                .add("relu0", Activation.reluBlock())
                .add("pool0", Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int channels = variant.numInitFeatures();
        List<Integer> config = variant.blockConfig();
        for (int i = 0; i < config.size(); i++) {
            DenseBlock block = new DenseBlock(config.get(i), channels, variant.growthRate(), variant.bnSize());
            features.add("denseblock" + (i + 1), block);
            channels = block.outputChannels();
            if (i < config.size() - 1) {
                features.add("transition" + (i + 1), new Transition(channels, channels / 2));
                channels /= 2;
            }
        }
        return features.add("norm5", new BatchNormBlock(channels));
    }
}
