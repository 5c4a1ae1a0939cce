package org.bonexray.data.image;

import static org.bonexray.data.image.ImageDecoderBadFilesTest.encode;
import static org.bonexray.data.image.ImageDecoderBadFilesTest.noise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of image a real archive holds decodes to the expected luminance. */
class ImageDecoderKindsTest {
    private static final float EXACT = 1e-6f;

    @TempDir
    Path dir;

    @Test
    void gray8() {
        GrayImage image = decode(TestPngs.png(3, 1, 8, TestPngs.GRAY, new int[] {0, 128, 255}, null, null));
        assertArrayEquals(new float[] {0f, 128 / 255f, 1f}, image.pixels(), EXACT);
    }

    @Test
    void gray16KeepsFullPrecision() {
        GrayImage image = decode(TestPngs.png(2, 2, 16, TestPngs.GRAY, new int[] {65535, 32768, 1, 0}, null, null));
        assertEquals(1f, image.get(0, 0), EXACT);
        assertEquals(0.5f, image.get(1, 0), 1e-4f);
        assertEquals(32768 / 65535f, image.get(1, 0), EXACT);
        assertEquals(1 / 65535f, image.get(0, 1), 1e-9f);
        assertEquals(0f, image.get(1, 1), 0f);
    }

    @Test
    void rgbWithIdenticalChannelsEqualsGray() {
        int[] gray = {0, 17, 128, 200, 255, 3};
        int[] rgb = new int[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            rgb[3 * i] = gray[i];
            rgb[3 * i + 1] = gray[i];
            rgb[3 * i + 2] = gray[i];
        }
        GrayImage fromGray = decode(TestPngs.png(3, 2, 8, TestPngs.GRAY, gray, null, null));
        GrayImage fromRgb = decode(TestPngs.png(3, 2, 8, TestPngs.RGB, rgb, null, null));
        assertEquals(fromGray, fromRgb);
    }

    @Test
    void colourUsesBt601Luma() {
        GrayImage image = decode(TestPngs.png(3, 1, 8, TestPngs.RGB,
                new int[] {255, 0, 0, 0, 255, 0, 0, 0, 255}, null, null));
        assertArrayEquals(new float[] {0.299f, 0.587f, 0.114f}, image.pixels(), 1e-6f);
    }

    @Test
    void rgb16() {
        GrayImage image = decode(TestPngs.png(2, 1, 16, TestPngs.RGB,
                new int[] {65535, 0, 0, 32768, 32768, 32768}, null, null));
        assertEquals(0.299f, image.get(0, 0), 1e-6f);
        assertEquals(32768 / 65535f, image.get(1, 0), EXACT);
    }

    @Test
    void rgbaIsCompositedOverBlack() {
        GrayImage image = decode(TestPngs.png(3, 1, 8, TestPngs.RGBA,
                new int[] {200, 200, 200, 128, 255, 255, 255, 0, 255, 255, 255, 255}, null, null));
        assertEquals(200 / 255f * 128 / 255f, image.get(0, 0), 1e-6f);
        assertEquals(0f, image.get(1, 0), 0f);
        assertEquals(1f, image.get(2, 0), EXACT);
    }

    @Test
    void grayAlpha8And16() {
        GrayImage eight = decode(TestPngs.png(3, 1, 8, TestPngs.GRAY_ALPHA,
                new int[] {255, 0, 255, 255, 100, 51}, null, null));
        assertArrayEquals(new float[] {0f, 1f, 100 / 255f * 0.2f}, eight.pixels(), 1e-6f);
        GrayImage sixteen = decode(TestPngs.png(2, 1, 16, TestPngs.GRAY_ALPHA,
                new int[] {65535, 65535, 32768, 0}, null, null));
        assertArrayEquals(new float[] {1f, 0f}, sixteen.pixels(), EXACT);
    }

    @Test
    void paletteMapsThroughItsColoursAndTransparency() {
        byte[] plte = {0, 0, 0, (byte) 255, (byte) 255, (byte) 255, 10, 20, 30, 90, 90, 90};
        byte[] trns = {(byte) 255, (byte) 255, (byte) 255, 0};
        GrayImage image = decode(TestPngs.png(4, 1, 8, TestPngs.PALETTE, new int[] {0, 1, 2, 3}, plte, trns));
        assertArrayEquals(new float[] {0f, 1f, (0.299f * 10 + 0.587f * 20 + 0.114f * 30) / 255f, 0f},
                image.pixels(), 1e-6f);
    }

    @Test
    void oneBitImages() throws IOException {
        BufferedImage binary = new BufferedImage(9, 2, BufferedImage.TYPE_BYTE_BINARY);
        binary.setRGB(0, 0, 0xFFFFFF);
        binary.setRGB(8, 1, 0xFFFFFF);
        GrayImage image = decode(encode(binary, "png"));
        assertEquals(1f, image.get(0, 0), 0f);
        assertEquals(0f, image.get(1, 0), 0f);
        assertEquals(1f, image.get(8, 1), 0f);
    }

    @Test
    void jpegGrayAndRgb() throws IOException {
        BufferedImage gray = new BufferedImage(32, 16, BufferedImage.TYPE_BYTE_GRAY);
        fill(gray, new Color(128, 128, 128));
        GrayImage g = decode(encode(gray, "jpeg"));
        assertEquals(32, g.width());
        assertEquals(16, g.height());
        assertEquals(128 / 255f, g.get(5, 5), 2 / 255f);

        BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        fill(rgb, new Color(200, 100, 50));
        float expected = (0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255f;
        assertEquals(expected, decode(encode(rgb, "jpeg")).get(8, 8), 3 / 255f);
    }

    @Test
    void bmpAndGif() throws IOException {
        BufferedImage rgb = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        fill(rgb, new Color(60, 60, 60));
        rgb.setRGB(4, 2, 0xFF0000);
        GrayImage bmp = decode(encode(rgb, "bmp"));
        assertEquals(60 / 255f, bmp.get(0, 0), EXACT);
        assertEquals(0.299f, bmp.get(4, 2), 1e-6f);

        byte[] grays = {0, 64, (byte) 128, (byte) 255};
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(2, 4, grays, grays, grays));
        for (int x = 0; x < 4; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        assertArrayEquals(new float[] {0f, 64 / 255f, 128 / 255f, 1f}, decode(encode(indexed, "gif")).pixels(),
                EXACT);
    }

    @Test
    void decodingFromPathAndBytesAgreeAndTheExtensionIsIgnored() throws IOException {
        byte[] png = encode(noise(20, 10, BufferedImage.TYPE_BYTE_GRAY), "png");
        Path file = Files.write(dir.resolve("misnamed.jpg"), png);
        assertEquals(decode(png), ImageDecoder.decode(file));
    }

    @Test
    void concurrentDecodingGivesIdenticalResults() throws Exception {
        List<byte[]> files = List.of(encode(noise(40, 30, BufferedImage.TYPE_3BYTE_BGR), "png"),
                encode(noise(40, 30, BufferedImage.TYPE_BYTE_GRAY), "jpeg"),
                encode(noise(33, 17, BufferedImage.TYPE_3BYTE_BGR), "bmp"));
        List<GrayImage> expected = files.stream().map(ImageDecoderKindsTest::decode).toList();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<GrayImage>> results = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] bytes = files.get(i % files.size());
                results.add(pool.submit(() -> ImageDecoder.decode(bytes, "concurrent")));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(expected.get(i % files.size()), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static GrayImage decode(byte[] bytes) {
        return ImageDecoder.decode(bytes, "test.png");
    }

    private static void fill(BufferedImage image, Color colour) {
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
    }
}
