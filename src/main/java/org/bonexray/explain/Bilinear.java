package org.bonexray.explain;

/**
 * Bilinear resampling of a rectangle of a map with half-pixel centres (PyTorch's {@code align_corners=False}),
 * edges clamped, so that resizing never shifts a map by half a cell.
 */
final class Bilinear {
    private Bilinear() {
    }

    /**
     * Samples the rectangle {@code (x0, y0, w, h)} of {@code src} onto an {@code outWidth x outHeight} grid.
     *
     * @return {@code outWidth * outHeight} values, row-major
     */
    static float[] sample(float[] src, int srcWidth, int srcHeight, int x0, int y0, int w, int h,
                          int outWidth, int outHeight) {
        if (src.length != srcWidth * srcHeight) {
            throw new IllegalArgumentException("a " + srcWidth + "x" + srcHeight + " map needs "
                    + srcWidth * srcHeight + " values, got " + src.length);
        }
        int[] xLo = new int[outWidth];
        int[] xHi = new int[outWidth];
        float[] xFrac = new float[outWidth];
        axis(x0, w, srcWidth, outWidth, xLo, xHi, xFrac);
        int[] yLo = new int[outHeight];
        int[] yHi = new int[outHeight];
        float[] yFrac = new float[outHeight];
        axis(y0, h, srcHeight, outHeight, yLo, yHi, yFrac);
        float[] out = new float[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int top = yLo[y] * srcWidth;
            int bottom = yHi[y] * srcWidth;
            float fy = yFrac[y];
            for (int x = 0; x < outWidth; x++) {
                float fx = xFrac[x];
                float upper = src[top + xLo[x]] * (1 - fx) + src[top + xHi[x]] * fx;
                float lower = src[bottom + xLo[x]] * (1 - fx) + src[bottom + xHi[x]] * fx;
                out[y * outWidth + x] = upper * (1 - fy) + lower * fy;
            }
        }
        return out;
    }

    /** Source neighbours and weights along one axis; the samples stay inside [start, start + length). */
    private static void axis(int start, int length, int srcLength, int outLength, int[] lo, int[] hi, float[] frac) {
        double scale = (double) length / outLength;
        for (int i = 0; i < outLength; i++) {
            double pos = (i + 0.5) * scale - 0.5;
            pos = Math.max(0, Math.min(length - 1, pos));
            int low = (int) Math.floor(pos);
            int high = Math.min(low + 1, length - 1);
            lo[i] = Math.min(srcLength - 1, start + low);
            hi[i] = Math.min(srcLength - 1, start + high);
            frac[i] = (float) (pos - low);
        }
    }
}
