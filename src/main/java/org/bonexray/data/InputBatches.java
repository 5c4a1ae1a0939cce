package org.bonexray.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.runtime.ChannelsLast;

/**
 * The one place radiographs become a network input: a channels-last (N, 3, size, size) batch of the model's
 * preprocessing. The training dataset fills its buffer image by image on worker threads and hands it to
 * {@link #fromPixels}; prediction, the service and heatmaps hand decoded images to {@link #of}. Either way the
 * values are {@link Preprocessing#toChw} of each image, in the layout the engine's convolutions run fastest.
 */
public final class InputBatches {
    private InputBatches() {
    }

    /**
     * @param manager owner of the batch
     * @param preprocessing the model's preprocessing (resize, 8-bit rounding, normalisation)
     * @param images decoded radiographs, at any size
     * @return the batch, one image per row in the given order
     */
    public static NDArray of(NDManager manager, Preprocessing preprocessing, List<GrayImage> images) {
        return fromPixels(manager, pixels(preprocessing, images), images.size(), preprocessing.size());
    }

    /**
     * @param preprocessing the model's preprocessing
     * @param images decoded radiographs, at least one
     * @return {@link Preprocessing#toChw} of each image, one after the other (what {@link #fromPixels} takes)
     */
    public static float[] pixels(Preprocessing preprocessing, List<GrayImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one image");
        }
        int perImage = preprocessing.floatsPerImage();
        float[] pixels = new float[images.size() * perImage];
        for (int i = 0; i < images.size(); i++) {
            preprocessing.toChw(images.get(i), pixels, i * perImage);
        }
        return pixels;
    }

    /**
     * @param manager owner of the batch
     * @param nchw at least {@code count * 3 * size * size} values, image by image as {@link Preprocessing#toChw} writes them
     * @param count images in the batch
     * @param size side of the square input
     * @return the batch
     */
    public static NDArray fromPixels(NDManager manager, float[] nchw, int count, int size) {
        return ChannelsLast.fromNchw(manager, nchw, new Shape(count, Preprocessing.CHANNELS, size, size));
    }
}
