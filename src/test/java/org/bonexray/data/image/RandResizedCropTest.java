package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

/** The random resized crop keeps its share and ratio ranges, resamples to the full size and replays from a seed. */
class RandResizedCropTest {

    @Test
    void drawnBoxesStayInsideTheirRanges() {
        RandResizedCrop crop = new RandResizedCrop(1, 0.6, 4.0 / 3);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            RandResizedCrop.Box box = crop.draw(rng, 100, 80);
            double share = (double) box.width() * box.height() / (100 * 80);
            assertTrue(share >= 0.5 && share <= 1.0, "share " + share);
            assertTrue(box.x() + box.width() <= 100 && box.y() + box.height() <= 80, box.toString());
            double aspect = (box.width() / 100.0) / (box.height() / 80.0);
            assertTrue(aspect > 0.7 && aspect < 1.45, "aspect " + aspect);
        }
    }

    @Test
    void probabilityZeroOrFullScaleNeverCrops() {
        assertNull(new RandResizedCrop(0, 0.5, 2).draw(new SplittableRandom(1), 10, 10));
        assertTrue(new RandResizedCrop(1, 1, 1).isIdentity());
        GrayImage image = RandomAugmentationTest.pattern(12, 12);
        RandomAugmentation off = new RandomAugmentation(0, 0, 0, 0).withCrop(new RandResizedCrop(0, 0.5, 1));
        assertTrue(off.isIdentity(), "a crop that never happens is no augmentation");
        assertEquals(image, off.apply(image, new SplittableRandom(4)));
    }

    @Test
    void aCropOfTheLeftHalfStretchesItAcross() {
        // left half white, right half black: a crop of the left half is white everywhere
        float[] pixels = new float[16 * 8];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                pixels[y * 16 + x] = 1f;
            }
        }
        GrayImage out = new RandResizedCrop.Box(0, 0, 8, 8).applyTo(new GrayImage(16, 8, pixels));
        assertEquals(16, out.width());
        assertEquals(8, out.height());
        for (float v : out.pixels()) {
            assertEquals(1f, v, 1e-6f);
        }
        assertThrows(IllegalArgumentException.class, () -> new RandResizedCrop.Box(10, 0, 8, 8).applyTo(new GrayImage(16, 8, pixels)));
    }

    @Test
    void sameSeedSameCropAndOlderDrawsUnchanged() throws Exception {
        GrayImage image = RandomAugmentationTest.pattern(32, 32);
        RandomAugmentation older = new RandomAugmentation(0.5, 20, 0, 0);
        RandomAugmentation cropping = older.withCrop(new RandResizedCrop(1, 0.5, 1.5));
        assertEquals(cropping.apply(image, new SplittableRandom(8)), cropping.apply(image, new SplittableRandom(8)));
        assertNotEquals(cropping.apply(image, new SplittableRandom(8)), cropping.apply(image, new SplittableRandom(9)));
        // the crop draws after flip and rotation: those come out as the older settings drew them
        SplittableRandom a = new SplittableRandom(8);
        SplittableRandom b = new SplittableRandom(8);
        assertEquals(older.draw(a), cropping.draw(b));
        String json = Json.MAPPER.writeValueAsString(cropping);
        assertEquals(cropping, Json.MAPPER.readValue(json, RandomAugmentation.class));
        assertTrue(!Json.MAPPER.writeValueAsString(older).contains("crop"), "an unused crop is not written");
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new RandResizedCrop(1.1, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandResizedCrop(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandResizedCrop(1, 0.5, 0.9));
    }
}
