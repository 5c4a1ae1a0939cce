package org.bonexray.explain.boxes;

import java.nio.file.Path;
import java.util.List;

/**
 * One box as an annotation file gives it, before it is matched to an image: edges in pixels (0-based, the
 * right/bottom edge one past the last pixel covered, fractional allowed) or, for YOLO, as fractions of the width and
 * height.
 *
 * @param spellings the ways the file names the image (a path, a file name), best first
 * @param xMin left edge
 * @param yMin top edge
 * @param xMax right edge
 * @param yMax bottom edge
 * @param normalised whether the edges are fractions of the image's width and height
 * @param declaredWidth the image width the file states, 0 when it states none
 * @param declaredHeight the image height the file states, 0 when it states none
 * @param file the annotation file, for messages
 * @param entry the entry in it (a line, an object), for messages
 */
public record SourceBox(List<String> spellings, double xMin, double yMin, double xMax, double yMax,
                        boolean normalised, int declaredWidth, int declaredHeight, Path file,
                        String entry) {

    /** Refuses non-finite edges and a box whose right or bottom edge lies before its left or top one. */
    public SourceBox {
        spellings = List.copyOf(spellings);
        if (!Double.isFinite(xMin) || !Double.isFinite(yMin) || !Double.isFinite(xMax) || !Double.isFinite(yMax)) {
            throw new IllegalArgumentException("non-finite box edge");
        }
        if (xMax < xMin || yMax < yMin) {
            throw new IllegalArgumentException("negative box width or height");
        }
    }

    /** A box in pixels whose file states no image size. */
    static SourceBox pixels(String spelling, double xMin, double yMin, double xMax, double yMax, Path file,
                            String entry) {
        return new SourceBox(List.of(spelling), xMin, yMin, xMax, yMax, false, 0, 0, file, entry);
    }
}
