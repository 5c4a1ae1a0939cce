package org.bonexray.data.sample;

import java.util.SplittableRandom;

/**
 * Turns an attenuation map into 8-bit film: exposure curve, heel-effect gradient, slight blur (the focal
 * spot and screen) and film grain. Every setting is drawn per image, so brightness and contrast vary the way
 * they do between real radiographs and carry no information about the label.
 */
final class FilmProcessor {
    private final double gain;
    private final double background;
    private final double gamma;
    private final double heel;
    private final double heelAngle;
    private final double blurSigma;
    private final double grain;
    private static final int CURVE_STEPS = 4096;
    private static final long MASK21 = (1L << 21) - 1;
    private static final double CURVE_MAX = 12;

    FilmProcessor(SplittableRandom rng) {
        this.gain = 0.8 + 0.45 * rng.nextDouble();
        this.background = 0.02 + 0.1 * rng.nextDouble();
        this.gamma = 0.85 + 0.35 * rng.nextDouble();
        this.heel = 0.08 * rng.nextDouble();
        this.heelAngle = rng.nextDouble() * 2 * Math.PI;
        this.blurSigma = 0.5 + 0.6 * rng.nextDouble();
        this.grain = 0.015 + 0.015 * rng.nextDouble();
    }

    /** The gray levels (row-major, 0-255) of an attenuation map; {@code rng} draws the grain. */
    byte[] develop(float[] attenuation, int width, int height, SplittableRandom rng) {
        float[] film = new float[attenuation.length];
        float[] curve = exposureCurve();
        double hx = Math.cos(heelAngle) / Math.max(width, height);
        double hy = Math.sin(heelAngle) / Math.max(width, height);
        for (int y = 0; y < height; y++) {
            double rowHeel = 1 + heel * (y - height / 2.0) * hy;
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                double level = lookUp(curve, attenuation[i]);
                // Grain goes in before the blur, which gives it the slight spatial correlation of real film.
                long bits = rng.nextLong();
                // Three 21-bit uniforms from one draw, summed: close enough to Gaussian grain, and cheap.
                double noise = ((bits & MASK21) + ((bits >>> 21) & MASK21) + ((bits >>> 42) & MASK21))
                        * (2.0 / (1 << 21)) - 3;
                film[i] = (float) (level * (rowHeel + heel * (x - width / 2.0) * hx)
                        + grain * (0.5 + level) * noise);
            }
        }
        blur(film, width, height, blurSigma);
        byte[] out = new byte[film.length];
        for (int i = 0; i < film.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, (int) (film[i] * 255 + 0.5f)));
        }
        return out;
    }

    /** The exposure curve sampled on a fine attenuation grid; exp and pow per pixel cost more than the rest. */
    private float[] exposureCurve() {
        float[] curve = new float[CURVE_STEPS + 1];
        for (int i = 0; i <= CURVE_STEPS; i++) {
            double a = i * CURVE_MAX / CURVE_STEPS;
            curve[i] = (float) Math.pow(background + (1 - background) * (1 - Math.exp(-gain * a)), gamma);
        }
        return curve;
    }

    private static double lookUp(float[] curve, float attenuation) {
        double pos = Math.max(0, Math.min(CURVE_STEPS - 1e-6, attenuation * CURVE_STEPS / CURVE_MAX));
        int i = (int) pos;
        double f = pos - i;
        return curve[i] * (1 - f) + curve[i + 1] * f;
    }

    /** Separable Gaussian blur in place, clamping at the borders. */
    static void blur(float[] image, int width, int height, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(2.5 * sigma));
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        float[] tmp = new float[image.length];
        float[] line = new float[Math.max(width, height) + 2 * radius];
        for (int y = 0; y < height; y++) {
            convolve(image, y * width, 1, width, kernel, radius, line, tmp);
        }
        for (int x = 0; x < width; x++) {
            convolve(tmp, x, width, height, kernel, radius, line, image);
        }
    }

    /** Convolves one row or column (start, stride, length) into {@code dst}, repeating edge pixels. */
    private static void convolve(float[] src, int start, int stride, int length, float[] kernel, int radius,
                                 float[] line, float[] dst) {
        for (int i = -radius; i < length + radius; i++) {
            int j = Math.min(length - 1, Math.max(0, i));
            line[i + radius] = src[start + j * stride];
        }
        for (int i = 0; i < length; i++) {
            float acc = 0;
            for (int k = 0; k < kernel.length; k++) {
                acc += kernel[k] * line[i + k];
            }
            dst[start + i * stride] = acc;
        }
    }
}
