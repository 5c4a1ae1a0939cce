package org.bonexray.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.HeadSpec;
import org.junit.jupiter.api.Test;

class HeatmapExplainerTest {
    private static final int SIZE = 128;
    private final HeatmapExplainer explainer = new HeatmapExplainer();

    @Test
    void camIsTheLinearWeightedSumOfTheRectifiedFeatureMaps() {
        Preprocessing pre = TinyModels.preprocessing(SIZE, ResizeMode.SQUASH);
        GrayImage image = TinyModels.textured(150, 110);
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), SIZE);
            Heatmap cam = explainer.explain(net, manager, pre, image, Method.CAM);

            // independently: norm5 maps, relu and the weighted sum in plain loops
            float[] weights = net.head().outputLayer().getParameters().get("weight").getArray().toFloatArray();
            float bias = net.head().outputLayer().getParameters().get("bias").getArray().toFloatArray()[0];
            NDArray input = manager.create(pre.toChw(image), new Shape(1, 3, SIZE, SIZE));
            NDArray norm5 = net.forwardFeatures(new ParameterStore(manager, false), input, false);
            long[] shape = norm5.getShape().getShape();
            float[] a = norm5.toFloatArray();
            int c = (int) shape[1];
            int h = (int) shape[2];
            int w = (int) shape[3];
            assertEquals(weights.length, c);
            assertEquals(h, cam.gridHeight());
            assertEquals(w, cam.gridWidth());
            double[] expected = new double[h * w];
            double max = 0;
            for (int p = 0; p < h * w; p++) {
                for (int k = 0; k < c; k++) {
                    expected[p] += weights[k] * Math.max(0f, a[k * h * w + p]);
                }
                max = Math.max(max, Math.abs(expected[p]));
            }
            assertTrue(max > 1e-3, "a degenerate map would make the comparison empty");
            double mean = 0;
            for (int p = 0; p < h * w; p++) {
                assertEquals(expected[p], cam.grid()[p], 1e-5 * max, "position " + p);
                mean += expected[p] / (h * w);
            }
            // pooled CAM plus bias is the logit, so the reported probability must be its sigmoid
            assertEquals(1 / (1 + Math.exp(-(mean + bias))), cam.probability(), 1e-5);
            assertEquals(Method.CAM, cam.method());
        }
    }

    @Test
    void gradCamOnAPooledLinearHeadIsRectifiedCamOverTheGridArea() {
        Preprocessing pre = TinyModels.preprocessing(SIZE, ResizeMode.SQUASH);
        try (NDManager manager = NDManager.newBaseManager()) {
            GrayImage image = TinyModels.textured(140, 140);
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), SIZE);
            // weights orthogonal to the mean feature vector give a zero-mean map: positive and negative parts
            setZeroMeanHead(net, pre, image, manager);
            List<Heatmap> maps = explainer.explainAll(net, manager, pre, image,
                    EnumSet.of(Method.CAM, Method.GRAD_CAM));
            Heatmap cam = maps.get(0);
            Heatmap grad = maps.get(1);
            assertEquals(Method.GRAD_CAM, grad.method());
            int area = cam.gridWidth() * cam.gridHeight();
            float max = 0;
            int positives = 0;
            for (float v : cam.grid()) {
                max = Math.max(max, v);
                positives += v > 0 ? 1 : 0;
            }
            assertTrue(max > 0 && positives < area, "CAM needs positive and non-positive parts for the relu to matter: " + java.util.Arrays.toString(cam.grid()));
            for (int p = 0; p < area; p++) {
                double expected = Math.max(0f, cam.grid()[p]) / area;
                assertEquals(expected, grad.grid()[p], 1e-5 * max / area, "position " + p);
            }
        }
    }

    @Test
    void layerCamOnAPooledLinearHeadKeepsOnlyThePositivelyWeightedChannels() {
        Preprocessing pre = TinyModels.preprocessing(SIZE, ResizeMode.SQUASH);
        try (NDManager manager = NDManager.newBaseManager()) {
            GrayImage image = TinyModels.textured(140, 120);
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), SIZE);
            float[] w = setZeroMeanHead(net, pre, image, manager);
            Heatmap layerCam = explainer.explain(net, manager, pre, image, Method.LAYER_CAM);
            assertEquals(Method.LAYER_CAM, layerCam.method());

            // d logit / d A[c, p] = w_c / area for a pooled linear head, so LayerCAM = sum over w_c > 0 of w_c A_c / area
            NDArray input = manager.create(pre.toChw(image), new Shape(1, 3, SIZE, SIZE));
            NDArray norm5 = net.forwardFeatures(new ParameterStore(manager, false), input, false);
            float[] a = norm5.toFloatArray();
            int area = layerCam.gridWidth() * layerCam.gridHeight();
            int negatives = 0;
            double max = 0;
            double[] expected = new double[area];
            for (int k = 0; k < w.length; k++) {
                negatives += w[k] < 0 ? 1 : 0;
                for (int p = 0; p < area && w[k] > 0; p++) {
                    expected[p] += w[k] * Math.max(0f, a[k * area + p]) / area;
                }
            }
            assertTrue(negatives > 0, "some negative weights must be dropped for the test to mean anything");
            for (double v : expected) {
                max = Math.max(max, v);
            }
            assertTrue(max > 0);
            for (int p = 0; p < area; p++) {
                assertEquals(expected[p], layerCam.grid()[p], 1e-5 * max, "position " + p);
            }
        }
    }

    /**
     * Sets the pooled linear head's weights to w = d - (d.m / m.m) m, with m the mean channel vector and d = (channel
     * vector at cell 0) - m, and returns them.
     */
    private static float[] setZeroMeanHead(AbnormalityNet net, Preprocessing pre, GrayImage image, NDManager manager) {
        NDArray input = manager.create(pre.toChw(image), new Shape(1, 3, SIZE, SIZE));
        NDArray norm5 = net.forwardFeatures(new ParameterStore(manager, false), input, false);
        long[] shape = norm5.getShape().getShape();
        int c = (int) shape[1];
        int plane = (int) (shape[2] * shape[3]);
        float[] a = norm5.toFloatArray();
        double[] m = new double[c];
        double[] d = new double[c];
        double dm = 0;
        double mm = 0;
        for (int k = 0; k < c; k++) {
            for (int p = 0; p < plane; p++) {
                m[k] += Math.max(0f, a[k * plane + p]) / plane;
            }
            d[k] = Math.max(0f, a[k * plane]) - m[k];
            dm += d[k] * m[k];
            mm += m[k] * m[k];
        }
        float[] w = new float[c];
        for (int k = 0; k < c; k++) {
            w[k] = (float) (d[k] - dm / mm * m[k]);
        }
        net.head().outputLayer().getParameters().get("weight").getArray().set(w);
        return w;
    }

    @Test
    void explainsTheSameOnARequestThreadAndLeavesItsGradModeAsFound() throws Exception {
        Preprocessing pre = TinyModels.preprocessing(SIZE, ResizeMode.SQUASH);
        GrayImage image = TinyModels.textured(130, 100);
        EnumSet<Method> methods = EnumSet.of(Method.CAM, Method.GRAD_CAM, Method.LAYER_CAM);
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), SIZE);
            HeatmapExplainer inner = new HeatmapExplainer("denseblock2");
            List<Heatmap> expected = explainer.explainAll(net, manager, pre, image, methods);
            List<Heatmap> expectedInner = inner.explainAll(net, manager, pre, image, EnumSet.of(Method.GRAD_CAM));
            // A fresh thread has libtorch's grad mode on, as the web service's request threads do.
            ExecutorService worker = Executors.newSingleThreadExecutor();
            try {
                List<Object> onWorker = worker.submit(() -> {
                    boolean before = JniUtils.isGradMode();
                    List<Heatmap> last = explainer.explainAll(net, manager, pre, image, methods);
                    List<Heatmap> innerMaps = inner.explainAll(net, manager, pre, image, EnumSet.of(Method.GRAD_CAM));
                    return List.<Object>of(before, last, innerMaps, JniUtils.isGradMode());
                }).get();
                assertTrue((Boolean) onWorker.get(0), "a new thread starts with grad mode on");
                assertEquals(expected, onWorker.get(1));
                assertEquals(expectedInner, onWorker.get(2));
                assertTrue((Boolean) onWorker.get(3), "the thread's grad mode is restored");
            } finally {
                worker.shutdownNow();
            }
        }
    }

    @Test
    void camIsRefusedForAHiddenLayerHeadAndAutoFallsBackToGradCam() {
        Preprocessing pre = TinyModels.preprocessing(64, ResizeMode.SQUASH);
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.of(8), 64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> explainer.explain(net, manager, pre, TinyModels.textured(80, 80), Method.CAM));
            assertTrue(e.getMessage().contains("single linear layer"), e.getMessage());
            Heatmap auto = explainer.explain(net, manager, pre, TinyModels.textured(80, 80), Method.AUTO);
            assertEquals(Method.GRAD_CAM, auto.method());
            for (float v : auto.grid()) {
                assertTrue(v >= 0 && Float.isFinite(v));
            }
            assertEquals(64 * 64, auto.values().length);
        }
    }

    @Test
    void autoPicksCamForALinearHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = TinyModels.net(manager, HeadSpec.linear(), 64);
            assertEquals(Method.CAM, explainer.resolve(net, Method.AUTO));
            assertEquals(Method.GRAD_CAM, explainer.resolve(net, Method.GRAD_CAM));
        }
    }

    @Test
    void methodNamesParse() {
        assertEquals(Method.GRAD_CAM, Method.parse("gradcam"));
        assertEquals(Method.GRAD_CAM, Method.parse("Grad-CAM"));
        assertEquals(Method.CAM, Method.parse("cam"));
        assertEquals(Method.LAYER_CAM, Method.parse("LayerCAM"));
        assertEquals(Method.AUTO, Method.parse("AUTO"));
        assertThrows(IllegalArgumentException.class, () -> Method.parse("lime"));
    }
}
