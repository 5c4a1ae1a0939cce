package org.bonexray.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;

/** torchvision's {@code _Transition}: norm, relu, conv (1x1, no bias), pool (2x2 average, stride 2). */
public final class Transition extends NamedSequentialBlock {
    /**
     * A transition between dense blocks.
     *
     * @param inputChannels channels entering
     * @param outputChannels channels leaving (torchvision halves them)
     */
    public Transition(int inputChannels, int outputChannels) {
        super(true);
        add("norm", new BatchNormBlock(inputChannels));
        add("relu", Activation.reluBlock());
        add("conv", DenseLayer.conv(1, 0, outputChannels));
        add("pool", Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
}
