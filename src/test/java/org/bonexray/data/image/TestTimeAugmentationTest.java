package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

/** The test-time views transform network inputs as the same draws transform images before normalisation. */
class TestTimeAugmentationTest {
    private static final Preprocessing PRE = new Preprocessing(12, ResizeMode.SQUASH, Normalization.IMAGENET);

    @Test
    void viewsAndNames() throws Exception {
        assertEquals(1, TestTimeAugmentation.NONE.views().size());
        assertEquals(2, TestTimeAugmentation.FLIP.views().size());
        assertEquals(6, TestTimeAugmentation.FLIP_ROTATE.views().size());
        assertEquals(TestTimeAugmentation.FLIP_ROTATE, TestTimeAugmentation.parse(" Flip+Rotate "));
        assertEquals(TestTimeAugmentation.NONE, TestTimeAugmentation.parse(null));
        assertThrows(IllegalArgumentException.class, () -> TestTimeAugmentation.parse("rotate"));
        assertEquals("\"flip\"", Json.MAPPER.writeValueAsString(TestTimeAugmentation.FLIP));
        assertEquals(TestTimeAugmentation.FLIP, Json.MAPPER.readValue("\"flip\"", TestTimeAugmentation.class));
    }

    @Test
    void aViewOfTheInputIsTheInputOfTheView() {
        GrayImage a = RandomAugmentationTest.pattern(12, 12);
        GrayImage b = shifted(a);
        float[] batch = new float[2 * PRE.floatsPerImage()];
        PRE.toChw(a, batch, 0);
        PRE.toChw(b, batch, PRE.floatsPerImage());
        for (RandomAugmentation.Draw view : TestTimeAugmentation.FLIP_ROTATE.views()) {
            float[] expected = new float[batch.length];
            PRE.toChw(view.applyTo(a), expected, 0);
            PRE.toChw(view.applyTo(b), expected, PRE.floatsPerImage());
            float[] got = TestTimeAugmentation.transform(view, batch, 2, PRE);
            boolean mirrorOnly = view.rotationDegrees() == 0;
            assertArrayEquals(expected, got, mirrorOnly ? 0f : 1e-5f, view.toString());
        }
        assertSame(batch, TestTimeAugmentation.transform(TestTimeAugmentation.NONE.views().get(0), batch, 2, PRE));
    }

    private static GrayImage shifted(GrayImage image) {
        float[] in = image.pixels();
        float[] p = new float[in.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = in[(i + 5) % p.length];
        }
        return new GrayImage(image.width(), image.height(), p);
    }
}
