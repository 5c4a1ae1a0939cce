package org.bonexray.serve;

import java.util.List;
import org.bonexray.data.image.GrayImage;
import org.bonexray.explain.Heatmap;
import org.bonexray.model.LoadedModel;

/**
 * Computes the heatmaps of a batch of views on the batcher's thread; the request threads then render each as an
 * overlay PNG and keep it in the {@link HeatmapStore}.
 */
@FunctionalInterface
public interface HeatmapRenderer {
    /** Computes no heatmap: responses then carry {@code "heatmap": null}. */
    HeatmapRenderer NONE = (model, images, nchw) -> null;

    /**
     * @param model the model that predicted the batch
     * @param images the views, decoded
     * @param nchw the views as the model's preprocessing wrote them, in order
     * @return one heatmap per view, or null when none can be made (the views are still predicted)
     */
    List<Heatmap> heatmaps(LoadedModel model, List<GrayImage> images, float[] nchw);
}
