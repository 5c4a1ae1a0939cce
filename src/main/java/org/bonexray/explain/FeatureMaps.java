package org.bonexray.explain;

import ai.djl.ndarray.NDArray;

/**
 * One image's feature maps copied out of the engine, (C, h, w) row-major, and the two reductions the
 * activation maps need.
 */
record FeatureMaps(float[] values, int channels, int height, int width) {

    FeatureMaps {
        if ((long) channels * height * width != values.length) {
            throw new IllegalArgumentException("(" + channels + ", " + height + ", " + width + ") maps need "
                    + (long) channels * height * width + " values, got " + values.length);
        }
    }

    /** Copies the maps of a one-image batch (1, C, h, w) out of the engine. */
    static FeatureMaps of(NDArray batchOfOne) {
        long[] shape = batchOfOne.getShape().getShape();
        if (shape.length != 4 || shape[0] != 1) {
            throw new IllegalArgumentException("expected maps shaped (1, C, h, w), got " + batchOfOne.getShape());
        }
        return new FeatureMaps(batchOfOne.toFloatArray(), (int) shape[1], (int) shape[2], (int) shape[3]);
    }

    /** {@code sum_c weights[c] * A_c}, accumulated in double. */
    float[] weightedSum(float[] weights) {
        if (weights.length != channels) {
            throw new IllegalArgumentException(channels + " channels but " + weights.length + " weights");
        }
        int plane = height * width;
        double[] sum = new double[plane];
        for (int c = 0; c < channels; c++) {
            double w = weights[c];
            int base = c * plane;
            for (int p = 0; p < plane; p++) {
                sum[p] += w * values[base + p];
            }
        }
        float[] out = new float[plane];
        for (int p = 0; p < plane; p++) {
            out[p] = (float) sum[p];
        }
        return out;
    }

    /** {@code sum_c max(0, g_c) * A_c} position by position (LayerCAM), accumulated in double. */
    float[] positiveGradientWeightedSum(float[] gradient) {
        if (gradient.length != values.length) {
            throw new IllegalArgumentException(values.length + " map values but " + gradient.length + " gradients");
        }
        int plane = height * width;
        double[] sum = new double[plane];
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int p = 0; p < plane; p++) {
                sum[p] += Math.max(0f, gradient[base + p]) * (double) values[base + p];
            }
        }
        float[] out = new float[plane];
        for (int p = 0; p < plane; p++) {
            out[p] = (float) sum[p];
        }
        return out;
    }

    /** The spatial mean of each channel of an array shaped like these maps. */
    float[] spatialMeans(float[] perPosition) {
        int plane = height * width;
        float[] means = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int p = 0; p < plane; p++) {
                sum += perPosition[c * plane + p];
            }
            means[c] = (float) (sum / plane);
        }
        return means;
    }
}
