package org.bonexray.data.image;

/**
 * Separable bilinear resampling that antialiases when shrinking, the method of Pillow's
 * {@code Image.resize(size, BILINEAR)} and torchvision's {@code Resize(antialias=True)}.
 *
 * <p>Each output pixel is a weighted mean of input pixels under a triangle (tent) filter centred on the
 * output pixel's centre mapped into the input, {@code (i + 0.5) * in / out} (pixel centres, not corners).
 * Enlarging, the tent is one input pixel wide on each side: plain bilinear interpolation. Shrinking by a
 * factor {@code s}, the tent is stretched to {@code s} input pixels on each side, so every input pixel
 * contributes (area averaging) and a 512 px image shrunk to 64 px does not alias its fine trabecular
 * texture into moire. Taps that fall outside the image are dropped and the weights renormalised, i.e. the
 * edge is extended rather than darkened. Rows are filtered first, then columns, in float.
 */
final class Resampler {
    private Resampler() {
    }

    /** {@code image} resampled to {@code width} x {@code height}. */
    static GrayImage resize(GrayImage image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        float[] rows = horizontal(image.pixels(), image.width(), image.height(), width);
        float[] out = vertical(rows, width, image.height(), height);
        return new GrayImage(width, height, out);
    }

    private static float[] horizontal(float[] in, int inW, int h, int outW) {
        Taps taps = Taps.of(inW, outW);
        float[] out = new float[outW * h];
        for (int y = 0; y < h; y++) {
            int rowIn = y * inW;
            int rowOut = y * outW;
            for (int x = 0; x < outW; x++) {
                int start = taps.start[x];
                int base = x * taps.stride;
                float sum = 0f;
                for (int k = 0; k < taps.count[x]; k++) {
                    sum += taps.weights[base + k] * in[rowIn + start + k];
                }
                out[rowOut + x] = sum;
            }
        }
        return out;
    }

    private static float[] vertical(float[] in, int w, int inH, int outH) {
        Taps taps = Taps.of(inH, outH);
        float[] out = new float[w * outH];
        for (int y = 0; y < outH; y++) {
            int rowOut = y * w;
            int base = y * taps.stride;
            for (int k = 0; k < taps.count[y]; k++) {
                float weight = taps.weights[base + k];
                int rowIn = (taps.start[y] + k) * w;
                for (int x = 0; x < w; x++) {
                    out[rowOut + x] += weight * in[rowIn + x];
                }
            }
        }
        return out;
    }

    /** The normalised filter taps of every output position along one axis. */
    private static final class Taps {
        final int[] start;
        final int[] count;
        final float[] weights;
        final int stride;

        private Taps(int[] start, int[] count, float[] weights, int stride) {
            this.start = start;
            this.count = count;
            this.weights = weights;
            this.stride = stride;
        }

        static Taps of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[out];
            int[] count = new int[out];
            float[] weights = new float[out * stride];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int min = Math.max(0, (int) Math.floor(centre - support + 0.5));
                int max = Math.min(in, (int) Math.floor(centre + support + 0.5));
                double total = 0;
                double[] w = new double[max - min];
                for (int j = 0; j < w.length; j++) {
                    w[j] = Math.max(0.0, 1.0 - Math.abs((min + j - centre + 0.5) / filterScale));
                    total += w[j];
                }
                start[i] = min;
                count[i] = w.length;
                for (int j = 0; j < w.length; j++) {
                    weights[i * stride + j] = (float) (w[j] / total);
                }
            }
            return new Taps(start, count, weights, stride);
        }
    }
}
