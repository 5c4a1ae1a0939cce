package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Mixup and CutMix of batches, and label smoothing in the loss. */
class BatchMixingTest {
    private static final int SIZE = 8;
    private static final int COUNT = 4;

    private static float[] pixels() {
        float[] p = new float[COUNT * 3 * SIZE * SIZE];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.sin(i * 0.37); // every image different
        }
        return p;
    }

    @Test
    void probabilityZeroLeavesTheBatchAsItWas() {
        float[] p = pixels();
        float[] y = {0, 1, 1, 0};
        float[] w = {1, 2, 2, 1};
        boolean mixed = new BatchMixing(0, 0, 1).mix(p, y, w, SIZE, new SplittableRandom(1));
        assertFalse(mixed);
        assertArrayEquals(pixels(), p);
        assertArrayEquals(new float[] {0, 1, 1, 0}, y);
        assertArrayEquals(new float[] {1, 2, 2, 1}, w);
    }

    @Test
    void sameSeedMixesTheSameWay() {
        BatchMixing m = new BatchMixing(0.5, 0.5, 0.4);
        float[] a = pixels();
        float[] b = pixels();
        float[] ya = {0, 1, 1, 0};
        float[] yb = ya.clone();
        float[] wa = {1, 1, 1, 1};
        float[] wb = wa.clone();
        assertEquals(m.mix(a, ya, wa, SIZE, new SplittableRandom(9)), m.mix(b, yb, wb, SIZE, new SplittableRandom(9)));
        assertArrayEquals(a, b);
        assertArrayEquals(ya, yb);
    }

    /** The blended weighted loss is lambda * loss(own labels) + (1 - lambda) * loss(partners'), as the javadoc claims. */
    @Test
    void mixedTargetsGiveTheBlendOfBothLosses() {
        float[] y = {0, 1, 1, 0};
        float[] w = {1, 3, 3, 1};
        for (long seed = 0; seed < 20; seed++) {
            float[] p = pixels();
            float[] my = y.clone();
            float[] mw = w.clone();
            assertTrue(new BatchMixing(1, 0, 1).mix(p, my, mw, SIZE, new SplittableRandom(seed)));
            // recover partner and lambda from the pixels: image i = l * own + (1 - l) * partner
            float[] orig = pixels();
            int per = 3 * SIZE * SIZE;
            for (int i = 0; i < COUNT; i++) {
                int partner = -1;
                double lambda = Double.NaN;
                for (int j = 0; j < COUNT && partner < 0; j++) {
                    double l = j == i ? 1 : (p[i * per] - orig[j * per]) / (orig[i * per] - orig[j * per]);
                    boolean fits = true;
                    for (int k = 0; k < per && fits; k++) {
                        fits = Math.abs(l * orig[i * per + k] + (1 - l) * orig[j * per + k] - p[i * per + k]) < 1e-4;
                    }
                    if (fits) {
                        partner = j;
                        lambda = l;
                    }
                }
                assertTrue(partner >= 0, "image " + i + " is a blend of two images of the batch");
                float[] logits = {-1.5f, 0.3f, 2.0f, 0.7f};
                double mixedLoss = bce(logits[i], my[i]) * mw[i];
                double blend = lambda * w[i] * bce(logits[i], y[i]) + (1 - lambda) * w[partner] * bce(logits[i], y[partner]);
                assertEquals(blend, mixedLoss, 1e-5, "seed " + seed + " image " + i);
            }
        }
    }

    @Test
    void cutmixPastesABoxOfThePartnerAndItsShareSetsTheLabel() {
        float[] p = pixels();
        float[] y = {0, 1, 0, 1};
        float[] w = {1, 1, 1, 1};
        assertTrue(new BatchMixing(0, 1, 1).mix(p, y, w, SIZE, new SplittableRandom(3)));
        float[] orig = pixels();
        int per = 3 * SIZE * SIZE;
        for (int i = 0; i < COUNT; i++) {
            int own = 0;
            for (int k = 0; k < per; k++) {
                own += p[i * per + k] == orig[i * per + k] ? 1 : 0;
            }
            double share = own / (double) per; // lambda: the share of the image still its own
            // with equal weights the label is lambda * own + (1 - lambda) * partner's, in [0, 1]
            assertTrue(y[i] >= 0 && y[i] <= 1);
            if (share == 1) {
                continue; // an empty box, or the image was its own partner
            }
            assertTrue(Math.abs(y[i] - share * new float[] {0, 1, 0, 1}[i]) <= 1 - share + 1e-6, "image " + i);
        }
    }

    @Test
    void refusesImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new BatchMixing(0.7, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchMixing(0.5, 0, 0));
        assertTrue(BatchMixing.fromJson(null, null, null).isOff());
        assertEquals(1.0, BatchMixing.fromJson(0.5, null, null).alpha());
    }

    @Test
    void labelSmoothingIsTheLossOfSmoothedTargets() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList logits = new NDList(m.create(new float[] {-2f, 0.5f, 3f}));
            float e = 0.2f;
            float smoothedLoss = new WeightedBinaryCrossEntropy("s", e)
                    .evaluate(new NDList(m.create(new float[] {0, 1, 1}), m.create(new float[] {1, 2, 1})), logits).getFloat();
            float plainLoss = new WeightedBinaryCrossEntropy()
                    .evaluate(new NDList(m.create(new float[] {e / 2, 1 - e / 2, 1 - e / 2}), m.create(new float[] {1, 2, 1})),
                            logits).getFloat();
            assertEquals(plainLoss, smoothedLoss, 1e-6);
            assertThrows(IllegalArgumentException.class, () -> new WeightedBinaryCrossEntropy("s", 0.5));
        }
    }

    private static double bce(float logit, float label) {
        double p = 1 / (1 + Math.exp(-logit));
        return -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
    }
}
