package org.bonexray.serve;

import java.util.List;
import java.util.Objects;
import org.bonexray.data.image.GrayImage;
import org.bonexray.explain.Heatmap;
import org.bonexray.explain.HeatmapExplainer;
import org.bonexray.model.LoadedModel;

/**
 * Heatmaps from the explain stage (CAM, Grad-CAM or LayerCAM), a whole batch of views in one pass. Views whose
 * heatmaps fail are still predicted; their links are simply absent.
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
            e.explainer.resolve(model, e.method);
        }
        return renderer;
    }

    private static HeatmapRenderer forChoice(String choice, String layer) {
        return choice.trim().equalsIgnoreCase("none") ? NONE
                : new ExplainHeatmaps(HeatmapExplainer.Method.parse(choice), layer);
    }

    @Override
    public List<Heatmap> heatmaps(LoadedModel model, List<GrayImage> images, float[] nchw) {
        try {
            return explainer.explainBatch(model, images, nchw, method);
        } catch (RuntimeException e) {
            BonexrayServer.LOG.warn("heatmaps failed: {}", e.getClass().getName());
            return null;
        }
    }
}
