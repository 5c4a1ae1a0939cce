package org.bonexray.explain;

import java.util.List;
import java.util.Random;

/**
 * The two localisation scores of one map against one image's finding boxes, and the two baselines.
 *
 * <p>Pointing game: the map's peak (in original pixels) is a hit when inside any box. When several pixels share
 * the maximum (a plateau, as bilinear upsampling gives along clamped edges), the peak is their mean position.
 * A flat map has no peak and counts as a miss. Mass fraction: the share of the map's positive part
 * ({@code max(v, 0)}) inside the union of the boxes; negative CAM values are evidence against abnormality and
 * carry no mass. A map without positive part counts as uniform (mass = the boxes' share of the area).
 */
public final class LocalizationMetrics {
    private LocalizationMetrics() {
    }

    /** A pixel position. */
    public record Point(int x, int y) {
    }

    /**
     * The peak of a map, or null when the map is flat.
     *
     * @param map {@code width * height} values, row-major
     * @param width columns
     * @param height rows
     * @return the peak
     */
    public static Point peak(float[] map, int width, int height) {
        check(map, width, height);
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (float v : map) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        if (!(max > min)) {
            return null;
        }
        long sx = 0;
        long sy = 0;
        long n = 0;
        for (int i = 0; i < map.length; i++) {
            if (map[i] == max) {
                sx += i % width;
                sy += i / width;
                n++;
            }
        }
        return new Point((int) Math.round((double) sx / n), (int) Math.round((double) sy / n));
    }

    /** Whether the map's peak is inside any box. */
    public static boolean pointingHit(float[] map, int width, int height, List<Box> boxes) {
        Point p = peak(map, width, height);
        return p != null && inside(p.x(), p.y(), boxes);
    }

    /** The share of the map's positive mass inside the union of the boxes. */
    public static double massFraction(float[] map, int width, int height, List<Box> boxes) {
        check(map, width, height);
        double total = 0;
        double in = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = Math.max(0f, map[y * width + x]);
                total += v;
                if (v > 0 && inside(x, y, boxes)) {
                    in += v;
                }
            }
        }
        return total > 0 ? in / total : uniformMass(width, height, boxes);
    }

    /** The centre-point baseline: is pixel (width / 2, height / 2) inside a box. */
    public static boolean centreHit(int width, int height, List<Box> boxes) {
        return inside(width / 2, height / 2, boxes);
    }

    /** The uniform-map baseline: the union of the boxes (clipped to the image) over the image's area. */
    public static double uniformMass(int width, int height, List<Box> boxes) {
        long in = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                in += inside(x, y, boxes) ? 1 : 0;
            }
        }
        return (double) in / ((long) width * height);
    }

    /**
     * The random-map baseline's grid: uniform [0, 1) values on the model's feature grid, seeded per image, so
     * that it goes through the same upsampling and back-mapping as the real maps.
     *
     * @param seed the benchmark's seed
     * @param image the image's position in the benchmark
     * @param cells grid cells
     * @return the grid
     */
    public static float[] randomGrid(long seed, int image, int cells) {
        Random random = new Random(seed * 1_000_003L + image);
        float[] grid = new float[cells];
        for (int i = 0; i < cells; i++) {
            grid[i] = random.nextFloat();
        }
        return grid;
    }

    /**
     * Wilson's 95% score interval of a proportion.
     *
     * @param hits successes
     * @param n trials, positive
     * @return {lower, upper}
     */
    public static double[] wilson95(int hits, int n) {
        if (n <= 0 || hits < 0 || hits > n) {
            throw new IllegalArgumentException(hits + " hits of " + n);
        }
        double z = 1.959963984540054;
        double p = (double) hits / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static boolean inside(int x, int y, List<Box> boxes) {
        for (Box b : boxes) {
            if (b.contains(x, y)) {
                return true;
            }
        }
        return false;
    }

    private static void check(float[] map, int width, int height) {
        if (width <= 0 || height <= 0 || map.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " map needs " + width * height + " values");
        }
    }
}
