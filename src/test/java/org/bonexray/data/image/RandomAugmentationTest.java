package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.SplittableRandom;
import org.bonexray.data.image.RandomAugmentation.Draw;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

/** Flip, rotation, zoom and intensity jitter behave as documented and replay from a seed. */
class RandomAugmentationTest {

    @Test
    void noneIsIdentity() {
        GrayImage image = pattern(9, 7);
        assertSame(image, RandomAugmentation.NONE.apply(image, new SplittableRandom(1)));
        assertEquals(image, new Draw(false, 0, 1, 1, 1).applyTo(image));
    }

    @Test
    void certainFlipMirrorsExactly() {
        GrayImage image = pattern(6, 4);
        GrayImage flipped = new RandomAugmentation(1, 0, 0, 0).apply(image, new SplittableRandom(5));
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(image.get(5 - x, y), flipped.get(x, y), 0f);
            }
        }
    }

    @Test
    void flipInsideAWarpAlsoMirrors() {
        GrayImage image = pattern(6, 5);
        GrayImage warped = new Draw(true, 1e-12, 1, 1, 1).applyTo(image);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(image.get(5 - x, y), warped.get(x, y), 1e-6f);
            }
        }
    }

    @Test
    void zeroRotationIsIdentity() {
        GrayImage image = pattern(8, 8);
        assertEquals(image, new Draw(false, 0, 1, 1, 1).applyTo(image));
        assertEquals(image, new RandomAugmentation(0, 0, 0, 0).apply(image, new SplittableRandom(2)));
    }

    @Test
    void sameSeedSameOutputDifferentSeedDifferentOutput() {
        RandomAugmentation augmentation = new RandomAugmentation(0.5, 30, 0.1, 0.2);
        GrayImage image = pattern(32, 24);
        GrayImage a = augmentation.apply(image, new SplittableRandom(42));
        GrayImage b = augmentation.apply(image, new SplittableRandom(42));
        GrayImage c = augmentation.apply(image, new SplittableRandom(43));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(32, a.width());
        assertEquals(24, a.height());
    }

    @Test
    void rotationBy180OfAPointSymmetricPatternGivesItBack() {
        // A pattern symmetric through the centre: p(x, y) = p(w-1-x, h-1-y).
        int w = 11;
        int h = 9;
        float[] pixels = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels[y * w + x] = (float) Math.abs(Math.sin((x - 5) * 0.7) * Math.cos((y - 4) * 0.3));
            }
        }
        GrayImage symmetric = new GrayImage(w, h, pixels);
        assertEquals(0, maxDifference(symmetric, new Draw(false, 180, 1, 1, 1).applyTo(symmetric)), 1e-5);
        assertEquals(0, maxDifference(symmetric, new Draw(false, -180, 1, 1, 1).applyTo(symmetric)), 1e-5);
        // A non-symmetric image turned by 180 is its point reflection.
        GrayImage image = pattern(7, 5);
        GrayImage turned = new Draw(false, 180, 1, 1, 1).applyTo(image);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(image.get(6 - x, 4 - y), turned.get(x, y), 1e-5f);
            }
        }
    }

    @Test
    void maximalRandomRotationKeepsARoundObjectInPlace() {
        // A centred disc is invariant under any rotation: whatever angle up to +-180 is drawn, it stays put.
        GrayImage disc = disc(41);
        RandomAugmentation spin = new RandomAugmentation(0, 180, 0, 0);
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 5; i++) {
            GrayImage out = spin.apply(disc, rng);
            assertTrue(maxDifference(disc, out) < 0.75, "edges blur at most");
            assertEquals(disc.mean(), out.mean(), 0.01);
            assertEquals(1f, out.get(20, 20), 1e-5f);
            assertEquals(0f, out.get(0, 0), 0f);
        }
    }

    @Test
    void positiveAnglesTurnCounterClockwise() {
        float[] pixels = new float[9 * 9];
        pixels[4 * 9 + 7] = 1f; // three pixels right of centre
        GrayImage turned = new Draw(false, 90, 1, 1, 1).applyTo(new GrayImage(9, 9, pixels));
        assertEquals(1f, turned.get(4, 1), 1e-5f); // now three pixels above centre
        assertEquals(1f, turned.mean() * 81, 1e-4);
    }

    @Test
    void zoomMagnifiesAboutTheCentre() {
        GrayImage disc = disc(41);
        GrayImage larger = new Draw(false, 0, 1.5, 1, 1).applyTo(disc);
        GrayImage smaller = new Draw(false, 0, 0.5, 1, 1).applyTo(disc);
        assertTrue(larger.mean() > disc.mean() * 2, larger.mean() + " vs " + disc.mean());
        assertTrue(smaller.mean() < disc.mean() / 3, smaller.mean() + " vs " + disc.mean());
        assertEquals(1f, larger.get(20, 20), 1e-5f);
    }

    @Test
    void intensityJitterStretchesAboutTheMeanAndStaysInRange() {
        GrayImage image = new GrayImage(4, 1, new float[] {0f, 0.25f, 0.75f, 1f});
        GrayImage contrasted = new Draw(false, 0, 1, 2, 1).applyTo(image);
        assertEquals(0f, contrasted.get(0, 0), 1e-6f);
        assertEquals(0f, contrasted.get(1, 0), 1e-6f);
        assertEquals(1f, contrasted.get(2, 0), 1e-6f);
        GrayImage darker = new Draw(false, 0, 1, 1, 0.5).applyTo(image);
        assertEquals(0f, darker.get(0, 0), 0f);
        assertEquals(0.375f, darker.get(2, 0), 1e-6f);
        GrayImage jittered = new RandomAugmentation(0, 0, 0, 0.5).apply(pattern(16, 16), new SplittableRandom(4));
        for (float v : jittered.pixels()) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void validationAndJson() throws JsonProcessingException {
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(1.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(0, 181, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(0, 0, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Draw(false, 0, 0, 1, 1));
        assertEquals(new RandomAugmentation(0.5, 30, 0, 0), RandomAugmentation.MURA);
        String json = Json.MAPPER.writeValueAsString(RandomAugmentation.MURA);
        assertEquals(RandomAugmentation.MURA, Json.MAPPER.readValue(json, RandomAugmentation.class));
    }

    /** Distinct values everywhere, no symmetry. */
    static GrayImage pattern(int w, int h) {
        float[] pixels = new float[w * h];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 37 % 101) / 100f;
        }
        return new GrayImage(w, h, pixels);
    }

    private static GrayImage disc(int side) {
        float[] pixels = new float[side * side];
        double c = (side - 1) / 2.0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                pixels[y * side + x] = Math.hypot(x - c, y - c) <= side / 4.0 ? 1f : 0f;
            }
        }
        return new GrayImage(side, side, pixels);
    }

    private static double maxDifference(GrayImage a, GrayImage b) {
        double max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.abs(a.pixels()[i] - b.pixels()[i]));
        }
        return max;
    }
}
