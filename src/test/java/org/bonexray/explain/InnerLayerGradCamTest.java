package org.bonexray.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.NamedSequentialBlock;
import org.junit.jupiter.api.Test;

/** Grad-CAM on an inner dense block, checked against finite differences of the network's own logit. */
class InnerLayerGradCamTest {
    private static final int SIZE = 128;
    private static final String LAYER = "denseblock3";

    @Test
    void aSpanToALayerThenOnFromItIsTheWholeForwardPass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), SIZE);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray input = input(manager, TinyModels.textured(130, 120));
            NamedSequentialBlock features = net.features();
            NDArray whole = net.forwardFeatures(ps, input, false);
            NDArray inner = features.forwardSpan(ps, new NDList(input), false, null, LAYER).singletonOrThrow();
            NDArray rest = features.forwardSpan(ps, new NDList(inner), false, next(features), null).singletonOrThrow();
            assertArrayEquals(whole.toFloatArray(), rest.toFloatArray(), 1e-6f);
            // the block before transition3 is twice as fine as norm5
            assertEquals(whole.getShape().get(2) * 2, inner.getShape().get(2));
            assertThrows(IllegalArgumentException.class,
                    () -> features.forwardSpan(ps, new NDList(input), false, null, "denseblock9"));
            assertThrows(IllegalArgumentException.class,
                    () -> features.forwardSpan(ps, new NDList(input), false, "norm5", "conv0"));
        }
    }

    @Test
    void innerGradCamWeighsTheBlockOutputByTheLogitsFiniteDifferenceSlopes() {
        Preprocessing pre = TinyModels.preprocessing(SIZE, ResizeMode.SQUASH);
        GrayImage image = TinyModels.textured(150, 110);
        try (NDManager manager = NDManager.newBaseManager()) {
            // a hidden-layer head: CAM is undefined, and the logit is not linear in the maps
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.of(16), SIZE);
            HeatmapExplainer explainer = new HeatmapExplainer(LAYER);
            Heatmap map = explainer.explain(net, manager, pre, image, Method.AUTO);
            assertEquals(Method.GRAD_CAM, map.method());

            ParameterStore ps = new ParameterStore(manager, false);
            NamedSequentialBlock features = net.features();
            NDArray input = manager.create(pre.toChw(image), new Shape(1, 3, SIZE, SIZE));
            NDArray inner = features.forwardSpan(ps, new NDList(input), false, null, LAYER).singletonOrThrow();
            long[] shape = inner.getShape().getShape();
            int c = (int) shape[1];
            int h = (int) shape[2];
            int w = (int) shape[3];
            assertEquals(w, map.gridWidth());
            assertEquals(h, map.gridHeight());
            float[] a = inner.toFloatArray();
            double base = tailLogit(net, ps, inner);
            assertEquals(1 / (1 + Math.exp(-base)), map.probability(), 1e-5);

            // alpha_c = mean over positions of d logit / d A_c = (logit(A + eps on channel c) - logit(A)) / (eps h w),
            // by central differences in double-checked float arithmetic
            double eps = 1e-2;
            double[] expected = new double[h * w];
            for (int k = 0; k < c; k++) {
                double up = tailLogit(net, ps, shifted(manager, a, shape, k, eps));
                double down = tailLogit(net, ps, shifted(manager, a, shape, k, -eps));
                double alpha = (up - down) / (2 * eps * h * w);
                for (int p = 0; p < h * w; p++) {
                    expected[p] += alpha * a[k * h * w + p];
                }
            }
            double max = 0;
            for (int p = 0; p < h * w; p++) {
                expected[p] = Math.max(0, expected[p]);
                max = Math.max(max, expected[p]);
            }
            assertTrue(max > 1e-4, "a flat map would make the comparison empty");
            for (int p = 0; p < h * w; p++) {
                assertEquals(expected[p], map.grid()[p], 2e-2 * max, "position " + p);
            }
        }
    }

    @Test
    void camIsRefusedOffTheLastLayerAndUnknownLayersAreNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), SIZE);
            IllegalArgumentException cam = assertThrows(IllegalArgumentException.class,
                    () -> new HeatmapExplainer(LAYER).resolve(net, Method.CAM));
            assertTrue(cam.getMessage().contains("norm5"), cam.getMessage());
            assertEquals(Method.GRAD_CAM, new HeatmapExplainer(LAYER).resolve(net, Method.AUTO));
            assertEquals(Method.CAM, new HeatmapExplainer().resolve(net, Method.AUTO));
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> new HeatmapExplainer("block3").resolve(net, Method.AUTO));
            assertTrue(unknown.getMessage().contains("denseblock3"), unknown.getMessage());
        }
    }

    private static NDArray input(NDManager manager, GrayImage image) {
        Preprocessing pre = TinyModels.preprocessing(SIZE, ResizeMode.SQUASH);
        return manager.create(pre.toChw(image), new Shape(1, 3, SIZE, SIZE));
    }

    private static String next(NamedSequentialBlock features) {
        List<String> names = features.childNames();
        return names.get(names.indexOf(LAYER) + 1);
    }

    private static double tailLogit(AbnormalityNet net, ParameterStore ps, NDArray inner) {
        NDArray norm5 = net.features().forwardSpan(ps, new NDList(inner), false, next(net.features()), null)
                .singletonOrThrow();
        return net.forwardFromFeatures(ps, norm5, false).toType(DataType.FLOAT64, false).getDouble();
    }

    private static NDArray shifted(NDManager manager, float[] a, long[] shape, int channel, double eps) {
        float[] copy = a.clone();
        int plane = (int) (shape[2] * shape[3]);
        for (int p = 0; p < plane; p++) {
            copy[channel * plane + p] += (float) eps;
        }
        return manager.create(copy, new Shape(shape));
    }
}
