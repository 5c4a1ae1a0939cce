package org.bonexray.explain;

import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;

/**
 * Where an original image sits inside the network's square input, so that maps at input resolution can be
 * taken back to the original pixels.
 *
 * <p>SQUASH fills the whole square; LETTERBOX puts the resized image at {@code (contentX, contentY)} with
 * black padding around, exactly as {@link Preprocessing#resize} places it.
 *
 * @param originalWidth  columns of the original image
 * @param originalHeight rows of the original image
 * @param inputSize      side of the network's square input
 * @param contentX       first input column holding image content
 * @param contentY       first input row holding image content
 * @param contentWidth   input columns holding image content
 * @param contentHeight  input rows holding image content
 */
public record InputGeometry(int originalWidth, int originalHeight, int inputSize,
                            int contentX, int contentY, int contentWidth, int contentHeight) {

    /** Checks that the content rectangle lies inside the input square. */
    public InputGeometry {
        if (originalWidth <= 0 || originalHeight <= 0 || inputSize <= 0) {
            throw new IllegalArgumentException("sides must be positive: " + originalWidth + "x" + originalHeight
                    + " into " + inputSize);
        }
        if (contentX < 0 || contentY < 0 || contentWidth <= 0 || contentHeight <= 0
                || contentX + contentWidth > inputSize || contentY + contentHeight > inputSize) {
            throw new IllegalArgumentException("content " + contentX + "," + contentY + " " + contentWidth + "x"
                    + contentHeight + " is not inside a " + inputSize + " square");
        }
    }

    /**
     * The geometry {@link Preprocessing#resize} gives an image of the given size (same rounding).
     *
     * @param preprocessing the model's preprocessing
     * @param width original columns
     * @param height original rows
     * @return the geometry
     */
    public static InputGeometry of(Preprocessing preprocessing, int width, int height) {
        int size = preprocessing.size();
        if (preprocessing.resize() == ResizeMode.SQUASH || (width == size && height == size)) {
            return new InputGeometry(width, height, size, 0, 0, size, size);
        }
        double scale = (double) size / Math.max(width, height);
        int w = Math.max(1, Math.min(size, (int) Math.round(width * scale)));
        int h = Math.max(1, Math.min(size, (int) Math.round(height * scale)));
        return new InputGeometry(width, height, size, (size - w) / 2, (size - h) / 2, w, h);
    }

    /**
     * Takes a map at input resolution back to the original image: the padding is cropped away and the content
     * stretched to the original size, sampling bilinearly at pixel centres.
     *
     * @param inputMap {@code inputSize * inputSize} values, row-major
     * @return {@code originalWidth * originalHeight} values, row-major
     */
    public float[] toOriginal(float[] inputMap) {
        if (inputMap.length != inputSize * inputSize) {
            throw new IllegalArgumentException("expected " + inputSize * inputSize + " values, got " + inputMap.length);
        }
        return Bilinear.sample(inputMap, inputSize, inputSize, contentX, contentY, contentWidth, contentHeight,
                originalWidth, originalHeight);
    }

    /**
     * Upsamples a coarse map (the network's feature grid) to the whole input square.
     *
     * @param map {@code width * height} values, row-major
     * @param width columns of {@code map}
     * @param height rows of {@code map}
     * @return {@code inputSize * inputSize} values
     */
    public float[] upsampleToInput(float[] map, int width, int height) {
        return Bilinear.sample(map, width, height, 0, 0, width, height, inputSize, inputSize);
    }
}
