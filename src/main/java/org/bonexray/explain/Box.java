package org.bonexray.explain;

/**
 * An axis-aligned box in an original image's pixels: {@code xMin}/{@code yMin} inclusive, {@code xMax}/{@code yMax}
 * exclusive, as the sample's {@code findings.csv} writes them.
 *
 * @param xMin first column
 * @param yMin first row
 * @param xMax one past the last column
 * @param yMax one past the last row
 */
public record Box(int xMin, int yMin, int xMax, int yMax) {

    /** Refuses empty or negative boxes. */
    public Box {
        if (xMin < 0 || yMin < 0 || xMax <= xMin || yMax <= yMin) {
            throw new IllegalArgumentException("empty or negative box " + xMin + "," + yMin + "," + xMax + "," + yMax);
        }
    }

    /** Whether pixel (x, y) is inside. */
    public boolean contains(int x, int y) {
        return x >= xMin && x < xMax && y >= yMin && y < yMax;
    }
}
