package org.bonexray.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Wraps a weight initializer so that convolution kernels (O, I, kh, kw) live in channels-last memory, (O, kh, kw, I)
 * viewed as (O, I, kh, kw): PyTorch's {@code model.to(memory_format=torch.channels_last)}, which DJL has no API for.
 * Values are those of the wrapped initializer; only the memory order differs.
 */
final class ChannelsLastWeights implements Initializer {
    private final Initializer inner;

    ChannelsLastWeights(Initializer inner) {
        this.inner = inner;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        NDArray plain = inner.initialize(manager, shape, dataType);
        if (shape.dimension() != 4 || dataType != DataType.FLOAT32) {
            return plain;
        }
        float[] ohwi;
        try (NDArray permuted = plain.transpose(0, 2, 3, 1)) {
            ohwi = permuted.toFloatArray();
        }
        plain.close();
        return manager.create(ohwi, new Shape(shape.get(0), shape.get(2), shape.get(3), shape.get(1)))
                .transpose(0, 3, 1, 2);
    }
}
