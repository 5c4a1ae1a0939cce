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
    private final HeatmapExplainer explainer;
    private final HeatmapExplainer.Method method;

    /** Maps on the pooled layer (norm5). */
    public ExplainHeatmaps(HeatmapExplainer.Method method) {
        this(method, HeatmapExplainer.LAST_LAYER);
    }

    /**
     * Maps on a layer of the features.
     *
     * @param method the method
     * @param layer {@code norm5} or an inner block such as {@code denseblock1}
     */
    public ExplainHeatmaps(HeatmapExplainer.Method method, String layer) {
        this.method = Objects.requireNonNull(method, "method");
        this.explainer = new HeatmapExplainer(layer);
    }

    /** The renderer for a command-line choice: {@code none} for no heatmaps, else a method name. */
    public static HeatmapRenderer forChoice(String choice) {
        return forChoice(choice, HeatmapExplainer.LAST_LAYER);
    }

    /**
     * The renderer for command-line choices, checked against the model before any request.
     *
     * @param choice {@code none} or a method name
     * @param layer the layer of the maps
     * @param model the model that will be served, or null to skip the check
     * @return the renderer
     * @throws IllegalArgumentException when the layer does not exist or the method is undefined there
     */
    public static HeatmapRenderer forChoice(String choice, String layer, LoadedModel model) {
        HeatmapRenderer renderer = forChoice(choice, layer);
        if (renderer instanceof ExplainHeatmaps e && model != null) {
            e.explainer.resolve(model.net(), e.method);
        }
        return renderer;
    }

    private static HeatmapRenderer forChoice(String choice, String layer) {
        return choice.trim().equalsIgnoreCase("none") ? NONE
                : new ExplainHeatmaps(HeatmapExplainer.Method.parse(choice), layer);
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
