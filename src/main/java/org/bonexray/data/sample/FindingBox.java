package org.bonexray.data.sample;

/**
 * One finding in one image, with its bounding box in that image's pixels: {@code xMin}/{@code yMin} inclusive,
 * {@code xMax}/{@code yMax} exclusive, so {@code 0 <= xMin < xMax <= width}.
 */
public record FindingBox(FindingType type, int xMin, int yMin, int xMax, int yMax) {

    public FindingBox {
        if (type == null) {
            throw new IllegalArgumentException("finding type is required");
        }
        if (xMin < 0 || yMin < 0 || xMax <= xMin || yMax <= yMin) {
            throw new IllegalArgumentException("empty or negative box " + xMin + "," + yMin + "," + xMax + "," + yMax);
        }
    }

    public int width() {
        return xMax - xMin;
    }

    public int height() {
        return yMax - yMin;
    }
}
