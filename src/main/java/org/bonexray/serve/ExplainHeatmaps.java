package org.bonexray.serve;

import java.util.Objects;
import org.bonexray.data.image.GrayImage;
import org.bonexray.explain.HeatmapExplainer;
import org.bonexray.explain.Overlays;
import org.bonexray.model.LoadedModel;

/**
 * Heatmap overlays from the explain stage (CAM or Grad-CAM over the view, inferno colours, at the view's
 * own size). A view whose heatmap fails is still predicted; its link is simply absent.
 */
public final class ExplainHeatmaps implements HeatmapRenderer {
    private final HeatmapExplainer explainer = new HeatmapExplainer();
    private final HeatmapExplainer.Method method;

    public ExplainHeatmaps(HeatmapExplainer.Method method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    /** The renderer for a command-line choice: {@code none} for no heatmaps, else a method name. */
    public static HeatmapRenderer forChoice(String choice) {
        return choice.trim().equalsIgnoreCase("none") ? NONE : new ExplainHeatmaps(HeatmapExplainer.Method.parse(choice));
    }

    @Override
    public byte[] overlayPng(LoadedModel model, GrayImage image) {
        try {
            return Overlays.overlayPng(image, explainer.explain(model, image, method));
        } catch (RuntimeException e) {
            BonexrayServer.LOG.warn("heatmap failed: {}", e.getClass().getName());
            return null;
        }
    }
}
