package org.bonexray.data.sample;

import java.util.SplittableRandom;

/**
 * A mottled multiplier around 1 that gives bone a trabecular look: two octaves of smooth value noise, with
 * cells sized relative to the anatomy so the pattern looks alike at every image size.
 */
final class BoneTexture {
    private BoneTexture() {
    }

    static float[] make(int width, int height, double scale, SplittableRandom rng) {
        float[] out = new float[width * height];
        java.util.Arrays.fill(out, 1f);
        addOctave(out, width, height, Math.max(2.0, scale * 0.008), 0.22, rng);
        addOctave(out, width, height, Math.max(4.0, scale * 0.03), 0.12, rng);
        return out;
    }

    /** Adds bilinearly interpolated random values on a grid of {@code cell} pixels, of amplitude {@code amp}. */
    private static void addOctave(float[] out, int width, int height, double cell, double amp, SplittableRandom rng) {
        int gw = (int) Math.ceil(width / cell) + 2;
        int gh = (int) Math.ceil(height / cell) + 2;
        float[] grid = new float[gw * gh];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) ((rng.nextDouble() - 0.5) * 2 * amp);
        }
        // Grid columns and weights per image column, computed once: this loop runs for every pixel.
        int[] cols = new int[width];
        float[] fxs = new float[width];
        for (int x = 0; x < width; x++) {
            double gx = x / cell;
            cols[x] = (int) gx;
            fxs[x] = (float) (gx - cols[x]);
        }
        for (int y = 0; y < height; y++) {
            double gy = y / cell;
            int y0 = (int) gy;
            float fy = (float) (gy - y0);
            int row = y0 * gw;
            int base = y * width;
            for (int x = 0; x < width; x++) {
                int i = row + cols[x];
                float fx = fxs[x];
                float top = grid[i] + (grid[i + 1] - grid[i]) * fx;
                float bottom = grid[i + gw] + (grid[i + gw + 1] - grid[i + gw]) * fx;
                out[base + x] += top + (bottom - top) * fy;
            }
        }
    }
}
