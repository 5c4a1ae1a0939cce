package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Arrays;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

/** Resizing, normalisation and CHW layout give the expected numbers. */
class PreprocessingTest {
    private static final float EPS = 1e-6f;

    @Test
    void constantImageStaysConstantUpAndDown() {
        GrayImage grey = constant(37, 23, 0.4f);
        GrayImage square = constant(37, 37, 0.4f);
        for (int size : new int[] {5, 23, 64, 100}) {
            GrayImage squashed = new Preprocessing(size, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE)
                    .resize(grey);
            GrayImage boxed = new Preprocessing(size, ResizeMode.LETTERBOX, Normalization.MINUS_ONE_TO_ONE)
                    .resize(square);
            for (int i = 0; i < size * size; i++) {
                assertEquals(0.4f, squashed.pixels()[i], EPS);
                assertEquals(0.4f, boxed.pixels()[i], EPS);
            }
        }
    }

    @Test
    void twoByTwoToFourByFourIsBilinearOnPixelCentres() {
        GrayImage in = new GrayImage(2, 2, new float[] {0f, 0.4f, 0.8f, 1f});
        GrayImage out = Resampler.resize(in, 4, 4);
        float[][] w = {{1, 0}, {0.75f, 0.25f}, {0.25f, 0.75f}, {0, 1}};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                float expected = w[y][0] * (w[x][0] * 0f + w[x][1] * 0.4f) + w[y][1] * (w[x][0] * 0.8f + w[x][1] * 1f);
                assertEquals(expected, out.get(x, y), EPS, "(" + x + "," + y + ")");
            }
        }
        assertEquals(0.2875f, out.get(1, 1), EPS);
    }

    @Test
    void fourByFourToTwoByTwoAveragesUnderAStretchedTent() {
        // Shrinking by 2 stretches the tent over 2 input pixels each side: taps 3/7, 3/7, 1/7 (edge dropped),
        // so a ramp 0, 1, 2, 3 becomes 5/7 and 16/7.
        float[] ramp = new float[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i / 15f;
        }
        GrayImage out = Resampler.resize(new GrayImage(4, 4, ramp), 2, 2);
        float[] h = {5f / 7, 16f / 7};
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                assertEquals((h[x] + 4 * h[y]) / 15f, out.get(x, y), EPS);
            }
        }
    }

    @Test
    void matchesPillowBilinearOnAnUnevenShape() {
        // tools/resize_reference.py: Pillow 9.4 Image.resize((3, 4), BILINEAR) of a 7x5 float ramp.
        double[][] pillow = {
            {0.03177962824702263, 0.06046133115887642, 0.09790235757827759},
            {0.18548938632011414, 0.24086898565292358, 0.30080488324165344},
            {0.42126885056495667, 0.4936574697494507, 0.5695496201515198},
            {0.7154982089996338, 0.8015539050102234, 0.8905637860298157}};
        float[] ramp = new float[35];
        for (int i = 0; i < 35; i++) {
            ramp[i] = (float) (Math.pow(i, 1.5) / Math.pow(34, 1.5));
        }
        GrayImage out = Resampler.resize(new GrayImage(7, 5, ramp), 3, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(pillow[y][x], out.get(x, y), 1e-5);
            }
        }
    }

    @Test
    void downscalingDoesNotAlias() {
        // A one-pixel checkerboard is pure Nyquist frequency: point-sampled bilinear would give 0 or 1
        // everywhere; area averaging must give its mean grey.
        float[] board = new float[512 * 512];
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                board[y * 512 + x] = (x + y) % 2;
            }
        }
        GrayImage small = new Preprocessing(64, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE)
                .resize(new GrayImage(512, 512, board));
        for (float v : small.pixels()) {
            assertEquals(0.5f, v, 0.02f);
        }
    }

    @Test
    void squashAndLetterboxSizesAndPadding() {
        GrayImage wide = constant(40, 20, 1f);
        GrayImage squashed = new Preprocessing(10, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE).resize(wide);
        assertEquals(10, squashed.width());
        assertEquals(10, squashed.height());
        GrayImage boxed = new Preprocessing(10, ResizeMode.LETTERBOX, Normalization.MINUS_ONE_TO_ONE).resize(wide);
        assertEquals(10, boxed.width());
        assertEquals(10, boxed.height());
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                boolean inside = y >= 2 && y < 7;
                assertEquals(inside ? 1f : 0f, boxed.get(x, y), EPS, "(" + x + "," + y + ")");
            }
        }
        GrayImage tall = constant(3, 9, 1f);
        GrayImage boxedTall = new Preprocessing(9, ResizeMode.LETTERBOX, Normalization.MINUS_ONE_TO_ONE)
                .resize(tall);
        assertEquals(0f, boxedTall.get(2, 4), 0f);
        assertEquals(1f, boxedTall.get(3, 4), EPS);
        assertEquals(1f, boxedTall.get(5, 8), EPS);
        assertEquals(0f, boxedTall.get(6, 0), 0f);
    }

    @Test
    void alreadySizedImageIsNotResampled() {
        GrayImage image = constant(8, 8, 0.3f);
        assertSame(image, new Preprocessing(8, ResizeMode.LETTERBOX, Normalization.IMAGENET).resize(image));
    }

    @Test
    void minusOneToOneGivesThreeIdenticalChannelsInChwOrder() {
        GrayImage image = new GrayImage(2, 2, new float[] {0f, 0.25f, 0.5f, 1f});
        float[] chw = new Preprocessing(2, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE).toChw(image);
        float[] plane = {-1f, -0.5f, 0f, 1f};
        assertEquals(12, chw.length);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(plane, Arrays.copyOfRange(chw, 4 * c, 4 * c + 4), EPS);
        }
    }

    @Test
    void imagenetNormalisesEachChannelWithItsOwnStatistics() {
        GrayImage image = new GrayImage(2, 1, new float[] {0f, 1f});
        float[] chw = new Preprocessing(2, ResizeMode.SQUASH, Normalization.IMAGENET).toChw(image);
        double[] mean = {0.485, 0.456, 0.406};
        double[] std = {0.229, 0.224, 0.225};
        // An image of 2x1 is first squashed to 2x2: its rows are the same.
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                double x = i % 2;
                assertEquals((x - mean[c]) / std[c], chw[c * 4 + i], 1e-5, "channel " + c + " pixel " + i);
            }
        }
        assertEquals((0.5 - 0.456) / 0.224, Normalization.IMAGENET.apply(0.5f, 1), 1e-6);
    }

    @Test
    void toChwFillsABatchBufferAtAnOffset() {
        Preprocessing p = new Preprocessing(3, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE);
        float[] batch = new float[2 * p.floatsPerImage()];
        Arrays.fill(batch, 99f);
        p.toChw(constant(3, 3, 0.75f), batch, p.floatsPerImage());
        for (int i = 0; i < p.floatsPerImage(); i++) {
            assertEquals(99f, batch[i], 0f);
            assertEquals(0.5f, batch[p.floatsPerImage() + i], EPS);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> p.toChw(constant(3, 3, 0f), batch, 28));
        assertArrayEquals(p.toChw(constant(5, 7, 0.2f)), slice(p, constant(5, 7, 0.2f)), 0f);
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(0, ResizeMode.SQUASH,
                Normalization.IMAGENET));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(224, null, Normalization.IMAGENET));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(224, ResizeMode.SQUASH, null));
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(2, 2, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(0, 2, new float[0]));
        assertEquals(new Preprocessing(224, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE),
                Preprocessing.DEFAULT);
    }

    @Test
    void jsonRoundTrip() throws JsonProcessingException {
        Preprocessing p = new Preprocessing(320, ResizeMode.LETTERBOX, Normalization.IMAGENET);
        String json = Json.MAPPER.writeValueAsString(p);
        assertEquals("{\"size\":320,\"resize\":\"LETTERBOX\",\"normalization\":\"IMAGENET\"}", json);
        assertEquals(p, Json.MAPPER.readValue(json, Preprocessing.class));
        assertEquals(Preprocessing.DEFAULT,
                Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(Preprocessing.DEFAULT), Preprocessing.class));
        assertTrue(assertThrows(Exception.class, () -> Json.MAPPER.readValue(
                "{\"size\":-3,\"resize\":\"SQUASH\",\"normalization\":\"IMAGENET\"}", Preprocessing.class))
                .getMessage().contains("size"));
    }

    private static float[] slice(Preprocessing p, GrayImage image) {
        float[] buffer = new float[p.floatsPerImage() + 5];
        p.toChw(image, buffer, 5);
        return Arrays.copyOfRange(buffer, 5, buffer.length);
    }

    static GrayImage constant(int width, int height, float value) {
        float[] pixels = new float[width * height];
        Arrays.fill(pixels, value);
        return new GrayImage(width, height, pixels);
    }
}
