/**
 * Class activation maps (CAM, Grad-CAM) and heatmap overlays.
 *
 * <p>{@link org.bonexray.explain.HeatmapExplainer} computes a {@link org.bonexray.explain.Heatmap} of one
 * radiograph from a loaded model; {@link org.bonexray.explain.InputGeometry} takes it from the network's input
 * square back to the original pixels (undoing squash or letterbox); {@link org.bonexray.explain.Overlays} draws
 * it over the radiograph and saves the raw map as {@code .npy}; {@link org.bonexray.explain.LocalizationBenchmark}
 * scores maps against the synthetic sample's finding boxes; {@link org.bonexray.explain.ExplainRun} is the
 * batch behind {@code bonexray explain}.
 */
package org.bonexray.explain;
