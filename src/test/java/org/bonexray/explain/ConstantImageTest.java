package org.bonexray.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.HeadSpec;
import org.junit.jupiter.api.Test;

/**
 * What is honestly true of a constant image's map. The convolutions pad with zeros, so cells whose receptive
 * field reaches past the border see the padding and differ: the map is not flat. Cells whose receptive field
 * lies wholly inside the image see identical inputs and must agree.
 *
 * <p>The tiny DenseNet's receptive field (7x7/2 stem, 3x3/2 max pool, two 3x3 convolutions per dense block,
 * 2x2/2 average pools) is 279 pixels; grid cell i covers input pixels [32 i - 125, 32 i + 154). At 512 pixels
 * (a 16 x 16 grid) that is wholly inside for i = 4..11.
 */
class ConstantImageTest {
    private static final int SIZE = 512;
    private static final int FIRST_INTERIOR = 4;
    private static final int LAST_INTERIOR = 11;

    @Test
    void interiorCellsAgreeAndOnlyBorderCellsDiffer() {
        float[] px = new float[300 * 300];
        Arrays.fill(px, 0.6f);
        GrayImage constant = new GrayImage(300, 300, px);
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), SIZE);
            Heatmap cam = new HeatmapExplainer().explain(net, manager,
                    TinyModels.preprocessing(SIZE, ResizeMode.SQUASH), constant, Method.CAM);
            assertEquals(16, cam.gridWidth());
            float[] g = cam.grid();
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : g) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            float range = hi - lo;
            assertTrue(range > 1e-4 * Math.max(Math.abs(lo), Math.abs(hi)),
                    "zero padding should make the border cells differ; range " + range);
            float reference = g[FIRST_INTERIOR * 16 + FIRST_INTERIOR];
            for (int y = FIRST_INTERIOR; y <= LAST_INTERIOR; y++) {
                for (int x = FIRST_INTERIOR; x <= LAST_INTERIOR; x++) {
                    assertEquals(reference, g[y * 16 + x], 1e-4 * range, "interior cell " + x + "," + y);
                }
            }
            // the first border ring is where the map varies: at least one cell there is off the interior value
            boolean borderDiffers = false;
            for (int i = 0; i < 16; i++) {
                borderDiffers |= Math.abs(g[i] - reference) > 1e-2 * range || Math.abs(g[i * 16] - reference) > 1e-2 * range;
            }
            assertTrue(borderDiffers);
        }
    }
}
