package org.bonexray.explain;

import java.util.Arrays;
import java.util.List;

/**
 * A class activation map of one radiograph: the raw map on the network's feature grid, the same map
 * upsampled (bilinear) to the network's input square, and the geometry that takes it back to the original
 * image's pixels.
 *
 * <p>Values are unnormalised: CAM maps are logit contributions and may be negative, Grad-CAM maps are
 * non-negative. Like {@link org.bonexray.data.image.GrayImage}, the arrays are not copied; treat them as
 * read-only.
 *
 * @param method        how the map was computed ({@code CAM}, {@code GRAD_CAM} or {@code LAYER_CAM}, never {@code AUTO})
 * @param probability   the model's probability of abnormality for the image
 * @param gridWidth     columns of the feature grid
 * @param gridHeight    rows of the feature grid
 * @param grid          {@code gridWidth * gridHeight} values, row-major
 * @param values        {@code inputSize * inputSize} values at input resolution, row-major
 * @param geometry      where the original image sits in the input square
 */
public record Heatmap(HeatmapExplainer.Method method, double probability, int gridWidth, int gridHeight,
                      float[] grid, float[] values, InputGeometry geometry) {

    /** Checks the method and array sizes. */
    public Heatmap {
        if (method == null || method == HeatmapExplainer.Method.AUTO) {
            throw new IllegalArgumentException("a heatmap's method must be CAM, GRAD_CAM or LAYER_CAM, got " + method);
        }
        if (gridWidth <= 0 || gridHeight <= 0 || grid == null || grid.length != gridWidth * gridHeight) {
            throw new IllegalArgumentException("grid needs " + gridWidth + "x" + gridHeight + " values");
        }
        if (geometry == null || values == null || values.length != geometry.inputSize() * geometry.inputSize()) {
            throw new IllegalArgumentException("values must cover the input square");
        }
    }

    /**
     * A heatmap from a feature-grid map: upsamples it to the input square.
     *
     * @param method CAM, GRAD_CAM or LAYER_CAM
     * @param probability the model's probability
     * @param grid the map on the feature grid, row-major
     * @param gridWidth columns of the grid
     * @param gridHeight rows of the grid
     * @param geometry input placement of the original image
     * @return the heatmap
     */
    public static Heatmap fromGrid(HeatmapExplainer.Method method, double probability, float[] grid,
                                   int gridWidth, int gridHeight, InputGeometry geometry) {
        float[] values = geometry.upsampleToInput(grid, gridWidth, gridHeight);
        return new Heatmap(method, probability, gridWidth, gridHeight, grid, values, geometry);
    }

    /**
     * The mean of several networks' heatmaps of the same image (an ensemble's members): the mean grid, upsampled,
     * and the mean probability. For CAM, whose maps are logit contributions, this is the CAM of the members' mean
     * logit; for the gradient methods, each member weighs equally in its own units.
     *
     * @param maps one per member, of one method, grid and geometry; one map is returned as it is
     * @return the mean heatmap
     * @throws IllegalArgumentException when the maps differ in method, grid or geometry
     */
    public static Heatmap mean(List<Heatmap> maps) {
        Heatmap first = maps.get(0);
        if (maps.size() == 1) {
            return first;
        }
        float[] grid = new float[first.grid.length];
        double probability = 0;
        for (Heatmap m : maps) {
            if (m.method != first.method || m.gridWidth != first.gridWidth || m.gridHeight != first.gridHeight
                    || !m.geometry.equals(first.geometry)) {
                throw new IllegalArgumentException("cannot average a " + m.method + " map on a " + m.gridWidth + "x"
                        + m.gridHeight + " grid with a " + first.method + " map on a " + first.gridWidth + "x"
                        + first.gridHeight + " grid");
            }
            for (int i = 0; i < grid.length; i++) {
                grid[i] += m.grid[i];
            }
            probability += m.probability;
        }
        for (int i = 0; i < grid.length; i++) {
            grid[i] /= maps.size();
        }
        return fromGrid(first.method, probability / maps.size(), grid, first.gridWidth, first.gridHeight,
                first.geometry);
    }

    /** @return side of the input square */
    public int inputSize() {
        return geometry.inputSize();
    }

    /** @return columns of the original image */
    public int originalWidth() {
        return geometry.originalWidth();
    }

    /** @return rows of the original image */
    public int originalHeight() {
        return geometry.originalHeight();
    }

    /**
     * The map in the original image's pixels (padding cropped, content stretched back).
     *
     * @return {@code originalWidth * originalHeight} values, row-major
     */
    public float[] toOriginal() {
        return geometry.toOriginal(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Heatmap h && h.method == method && Double.compare(h.probability, probability) == 0
                && h.gridWidth == gridWidth && h.gridHeight == gridHeight && Arrays.equals(h.grid, grid)
                && Arrays.equals(h.values, values) && h.geometry.equals(geometry);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * method.hashCode() + Arrays.hashCode(grid)) + geometry.hashCode();
    }

    @Override
    public String toString() {
        return "Heatmap[" + method + ", p=" + probability + ", grid " + gridWidth + "x" + gridHeight
                + ", input " + inputSize() + ", original " + originalWidth() + "x" + originalHeight() + "]";
    }
}
