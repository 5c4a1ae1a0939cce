package org.bonexray.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bonexray.runtime.ChannelsLast;

/**
 * How a batch of images is laid out in memory when it enters the network; the logical shape is always
 * (N, 3, H, W).
 *
 * <p>DJL has no memory-format API. {@link #CHANNELS_LAST} builds an NHWC-contiguous tensor and permutes it to
 * NCHW, which in PyTorch is a view with channels-last strides; PyTorch's CPU convolution then picks its
 * channels-last kernels and propagates the format to its outputs. Values are identical either way; the
 * tensors' strides cannot be read through DJL, so whether the format took effect shows only in the timings.
 */
public enum InputLayout {
    /** Plain contiguous NCHW. */
    NCHW,
    /** NHWC memory viewed as NCHW (PyTorch's {@code torch.channels_last}), as the product lays out every batch. */
    CHANNELS_LAST;

    /**
     * Creates the batch from NCHW-ordered values.
     *
     * @param manager owner of the array
     * @param nchw values in NCHW order
     * @param batch N
     * @param side H = W
     * @return the (N, 3, H, W) batch in this layout
     */
    public NDArray create(NDManager manager, float[] nchw, int batch, int side) {
        if (nchw.length != (long) batch * 3 * side * side) {
            throw new IllegalArgumentException("expected " + (batch * 3 * side * side) + " values, got " + nchw.length);
        }
        if (this == NCHW) {
            return manager.create(nchw, new Shape(batch, 3, side, side));
        }
        return ChannelsLast.fromNchw(manager, nchw, new Shape(batch, 3, side, side));
    }
}
