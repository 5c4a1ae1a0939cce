package org.bonexray.explain;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /** Copies the maps of a batch (N, C, h, w) out of the engine, one per image. */
    static List<FeatureMaps> ofBatch(NDArray batch) {
        long[] shape = batch.getShape().getShape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("expected maps shaped (N, C, h, w), got " + batch.getShape());
        }
        float[][] perImage = split(batch.toFloatArray(), (int) shape[0]);
        List<FeatureMaps> out = new ArrayList<>(perImage.length);
        for (float[] values : perImage) {
            out.add(new FeatureMaps(values, (int) shape[1], (int) shape[2], (int) shape[3]));
        }
        return out;
    }

    /** Cuts the values of a batch into {@code count} equal runs, one per image. */
    static float[][] split(float[] values, int count) {
        if (count < 1 || values.length % count != 0) {
            throw new IllegalArgumentException(values.length + " values do not split into " + count + " images");
        }
        int each = values.length / count;
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = Arrays.copyOfRange(values, i * each, (i + 1) * each);
        }
        return out;
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
