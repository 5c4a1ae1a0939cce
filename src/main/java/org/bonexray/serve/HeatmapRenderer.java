package org.bonexray.serve;

import org.bonexray.data.image.GrayImage;
import org.bonexray.model.LoadedModel;

/** Renders a view's heatmap overlay as PNG bytes; the service keeps them in its {@link HeatmapStore}. */
@FunctionalInterface
public interface HeatmapRenderer {
    /** Renders no heatmap: responses then carry {@code "heatmap": null}. */
    HeatmapRenderer NONE = (model, image) -> null;

    /** The overlay PNG for one view, or null when none can be made. */
    byte[] overlayPng(LoadedModel model, GrayImage image);
}
