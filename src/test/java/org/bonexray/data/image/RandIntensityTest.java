package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gamma, contrast and brightness jitter: each factor as documented, in range, seeded. */
class RandIntensityTest {

    @Test
    void factorsActAsDocumented() {
        GrayImage image = new GrayImage(4, 1, new float[] {0f, 0.25f, 0.5f, 1f});
        GrayImage gamma = new RandIntensity.Factors(2, 1, 1).applyTo(image);
        assertEquals(0.0625f, gamma.get(1, 0), 1e-6f);
        assertEquals(1f, gamma.get(3, 0), 0f);
        assertEquals(0f, gamma.get(0, 0), 0f);
        GrayImage darker = new RandIntensity.Factors(1, 1, 0.5).applyTo(image);
        assertEquals(0.25f, darker.get(2, 0), 1e-6f);
        assertEquals(0f, darker.get(0, 0), 0f);
        assertEquals(image, new RandIntensity.Factors(1, 1, 1).applyTo(image));
    }

    @Test
    void drawsStayInRangeAndReplay() {
        RandIntensity jitter = new RandIntensity(0.2, 0.2, 0.5);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            RandIntensity.Factors f = jitter.draw(rng);
            assertTrue(f.gamma() >= 1 / 1.5 && f.gamma() <= 1.5, "gamma " + f.gamma());
            assertTrue(f.contrast() >= 0.8 && f.contrast() <= 1.2);
            assertTrue(f.brightness() >= 0.8 && f.brightness() <= 1.2);
        }
        GrayImage image = RandomAugmentationTest.pattern(16, 16);
        RandomAugmentation aug = RandomAugmentation.NONE.withIntensity(jitter);
        GrayImage a = aug.apply(image, new SplittableRandom(1));
        assertEquals(a, aug.apply(image, new SplittableRandom(1)));
        assertNotEquals(a, aug.apply(image, new SplittableRandom(2)));
        for (float v : a.pixels()) {
            assertTrue(v >= 0f && v <= 1f);
        }
        assertTrue(RandomAugmentation.NONE.withIntensity(new RandIntensity(0, 0, 0)).isIdentity());
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new RandIntensity(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandIntensity(0, -0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandIntensity(0, 0, 5));
    }
}
