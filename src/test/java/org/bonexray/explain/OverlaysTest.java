package org.bonexray.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlaysTest {

    private static Heatmap hand(InputGeometry g, float[] grid, int w, int h) {
        return Heatmap.fromGrid(Method.GRAD_CAM, 0.5, grid, w, h, g);
    }

    @Test
    void overlaysHaveTheOriginalSizeInBothResizeModes() throws Exception {
        GrayImage image = TinyModels.textured(200, 90);
        for (ResizeMode mode : ResizeMode.values()) {
            InputGeometry g = InputGeometry.of(TinyModels.preprocessing(64, mode), 200, 90);
            Heatmap map = hand(g, new float[] {0, 1, 2, 3}, 2, 2);
            BufferedImage overlay = Overlays.overlay(image, map, 0.6);
            assertEquals(200, overlay.getWidth(), mode.name());
            assertEquals(90, overlay.getHeight(), mode.name());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Overlays.overlayPng(image, map)));
            assertEquals(200, decoded.getWidth());
            assertEquals(90, decoded.getHeight());
        }
    }

    @Test
    void letterboxGeometryMatchesThePreprocessingPlacement() {
        InputGeometry g = InputGeometry.of(TinyModels.preprocessing(64, ResizeMode.LETTERBOX), 200, 100);
        assertEquals(new InputGeometry(200, 100, 64, 0, 16, 64, 32), g);
        InputGeometry tall = InputGeometry.of(TinyModels.preprocessing(64, ResizeMode.LETTERBOX), 50, 200);
        assertEquals(new InputGeometry(50, 200, 64, 24, 0, 16, 64), tall);
        InputGeometry squash = InputGeometry.of(TinyModels.preprocessing(64, ResizeMode.SQUASH), 50, 200);
        assertEquals(new InputGeometry(50, 200, 64, 0, 0, 64, 64), squash);
    }

    @Test
    void aMapHotInOneCornerOfTheLetterboxContentLandsInThatCornerOfTheOriginal() {
        InputGeometry g = InputGeometry.of(TinyModels.preprocessing(64, ResizeMode.LETTERBOX), 200, 100);
        // content occupies input rows 16..47; make only its bottom-right 8x8 corner hot, padding rows cold
        float[] input = new float[64 * 64];
        for (int y = 40; y < 48; y++) {
            for (int x = 56; x < 64; x++) {
                input[y * 64 + x] = 1;
            }
        }
        Heatmap map = new Heatmap(Method.CAM, 0.5, 1, 1, new float[] {0}, input, g);
        float[] original = map.toOriginal();
        assertEquals(200 * 100, original.length);
        assertEquals(1f, original[99 * 200 + 199], 1e-6f, "bottom-right original pixel");
        assertEquals(1f, original[80 * 200 + 180], 1e-6f, "inside the corner quarter");
        assertEquals(0f, original[0], 1e-6f, "top-left");
        assertEquals(0f, original[50 * 200 + 100], 1e-6f, "centre");
        // a squash back-mapping of the same input would put the hot block at rows 62..75 of 100, not 75..99
        float[] squashed = InputGeometry.of(TinyModels.preprocessing(64, ResizeMode.SQUASH), 200, 100).toOriginal(input);
        assertEquals(0f, squashed[99 * 200 + 199], 1e-6f);
    }

    @Test
    void upsamplingKeepsAConstantGridConstantAndIsSymmetric() {
        InputGeometry g = new InputGeometry(32, 32, 32, 0, 0, 32, 32);
        float[] flat = g.upsampleToInput(new float[] {2, 2, 2, 2}, 2, 2);
        for (float v : flat) {
            assertEquals(2f, v, 1e-6f);
        }
        float[] ramp = g.upsampleToInput(new float[] {0, 1, 0, 1}, 2, 2);
        assertEquals(0f, ramp[0], 1e-6f);
        assertEquals(1f, ramp[31], 1e-6f);
        assertEquals(1f - ramp[5], ramp[31 - 5], 1e-6f);
    }

    @Test
    void colormapRunsFromDarkToPaleAndNormalizeHandlesFlatMaps() {
        assertEquals(0x000004, Colormap.INFERNO.rgb(0));
        assertEquals(0xfcffa4, Colormap.INFERNO.rgb(1));
        assertEquals(0xba3655, Colormap.INFERNO.rgb(0.5));
        assertArrayEquals(new float[] {0, 0, 0}, Overlays.normalize(new float[] {3, 3, 3}));
        assertArrayEquals(new float[] {0, 0.5f, 1}, Overlays.normalize(new float[] {-1, 0, 1}));
    }

    @Test
    void theRawMapIsAValidNpyFileAtOriginalResolution(@TempDir Path dir) throws Exception {
        InputGeometry g = InputGeometry.of(TinyModels.preprocessing(16, ResizeMode.SQUASH), 5, 3);
        Heatmap map = hand(g, new float[] {0, 1, 2, 3}, 2, 2);
        Path file = dir.resolve("m.npy");
        Overlays.writeMap(file, map);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (3, 5)") && header.contains("'<f4'"), header);
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, 15 * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] read = new float[15];
        data.asFloatBuffer().get(read);
        assertArrayEquals(map.toOriginal(), read);
    }
}
