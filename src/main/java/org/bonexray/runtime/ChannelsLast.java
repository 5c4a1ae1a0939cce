package org.bonexray.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Channels-last batches: NHWC memory viewed as the logical (N, C, H, W) the network expects, PyTorch's
 * {@code torch.channels_last}.
 *
 * <p>DJL has no memory-format API, but a transposed NHWC array is exactly a channels-last tensor in PyTorch,
 * whose CPU convolutions then pick their channels-last (oneDNN NHWC) kernels and hand the format on to their
 * outputs and gradients. Values are identical to NCHW; only speed differs. Measured here (BENCHMARKS.md), it
 * speeds up training steps and inference alike, so every batch the product builds uses it.
 */
public final class ChannelsLast {
    private ChannelsLast() {
    }

    /**
     * Creates a channels-last batch from values in NCHW order.
     *
     * @param manager owner of the array
     * @param nchw at least {@code n * c * h * w} values in NCHW order, from position 0
     * @param shape the logical (N, C, H, W) shape
     * @return the (N, C, H, W) array with NHWC memory
     */
    public static NDArray fromNchw(NDManager manager, float[] nchw, Shape shape) {
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("expected an (N, C, H, W) shape, got " + shape);
        }
        int n = (int) shape.get(0);
        int c = (int) shape.get(1);
        int plane = (int) (shape.get(2) * shape.get(3));
        if (nchw.length < (long) n * c * plane) {
            throw new IllegalArgumentException("expected " + shape.size() + " values, got " + nchw.length);
        }
        float[] nhwc = new float[n * c * plane];
        for (int i = 0; i < n; i++) {
            interleave(nchw, i * c * plane, nhwc, c, plane);
        }
        return manager.create(FloatBuffer.wrap(nhwc), new Shape(n, shape.get(2), shape.get(3), c))
                .transpose(0, 3, 1, 2);
    }

    private static void interleave(float[] chw, int base, float[] hwc, int channels, int plane) {
        for (int k = 0; k < channels; k++) {
            for (int p = 0; p < plane; p++) {
                hwc[base + p * channels + k] = chw[base + k * plane + p];
            }
        }
    }
}
