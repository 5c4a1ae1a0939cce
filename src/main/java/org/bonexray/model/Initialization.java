package org.bonexray.model;

import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;

/**
 * How convolution and Linear weights start (biases start at 0, BatchNorm at weight 1, bias 0).
 *
 * <p>The paper compares He, Xavier and random initialisation of the head.
 */
public enum Initialization {
    /** He / Kaiming normal, fan-in, gain sqrt(2): std = sqrt(2 / fanIn), torchvision's choice for convolutions. */
    HE,
    /** Glorot / Xavier uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)). */
    XAVIER,
    /** Plain random: normal with mean 0 and std 0.01. */
    NORMAL;

    /** @return the DJL initializer for weights */
    public Initializer weightInitializer() {
        switch (this) {
            case HE:
                return new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2f);
            case XAVIER:
                return new XavierInitializer(RandomType.UNIFORM, FactorType.AVG, 3f);
            case NORMAL:
                return new NormalInitializer(0.01f);
            default:
                throw new AssertionError(this);
        }
    }
}
