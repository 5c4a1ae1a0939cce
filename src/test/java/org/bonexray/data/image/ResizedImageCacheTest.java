package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResizedImageCacheTest {
    private static final Preprocessing PRE = new Preprocessing(24, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE);
    private static final long ALL_IN_MEMORY = Long.MAX_VALUE;

    @TempDir
    Path tmp;
    Path cacheDir;
    List<Path> files;

    /** Real PNGs of several shapes and kinds (grey, RGB, one already the target size), random content. */
    @BeforeEach
    void images() throws IOException {
        cacheDir = tmp.resolve("cache");
        files = new ArrayList<>();
        int[][] shapes = {{40, 30, BufferedImage.TYPE_BYTE_GRAY}, {17, 50, BufferedImage.TYPE_INT_RGB},
            {24, 24, BufferedImage.TYPE_BYTE_GRAY}, {90, 64, BufferedImage.TYPE_BYTE_GRAY}, {31, 31, BufferedImage.TYPE_INT_RGB}};
        Random random = new Random(7);
        for (int i = 0; i < shapes.length; i++) {
            files.add(writePng(tmp.resolve("img" + i + ".png"), shapes[i][0], shapes[i][1], shapes[i][2], random));
        }
    }

    private static Path writePng(Path file, int width, int height, int type, Random random) throws IOException {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = (x * 7 + y * 3 + random.nextInt(40)) & 0xFF;
                image.setRGB(x, y, grey << 16 | grey << 8 | grey);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private ResizedImageCache open(long memoryBudget) {
        return ResizedImageCache.open(cacheDir, PRE, files, memoryBudget);
    }

    private List<GrayImage> all(ResizedImageCache cache) {
        List<GrayImage> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            out.add(cache.get(i));
        }
        return out;
    }

    /** Replaces a file's bytes by garbage of the same length and gives it back its modification time. */
    private static void garbleKeepingStamp(Path file) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        byte[] junk = new byte[(int) Files.size(file)];
        java.util.Arrays.fill(junk, (byte) 0x5A);
        Files.write(file, junk);
        Files.setLastModifiedTime(file, modified);
    }

    @Test
    void cachedNetworkInputAgreesWithTheFloatPipelineWithinHalfAGreyLevel() {
        try (ResizedImageCache cache = open(ALL_IN_MEMORY)) {
            for (int i = 0; i < files.size(); i++) {
                GrayImage cached = cache.get(i);
                assertEquals(24, cached.width());
                assertEquals(24, cached.height());
                float[] viaCache = PRE.toChw(cached);
                float[] direct = PRE.toChw(ImageDecoder.decode(files.get(i)));
                // rounding to 8 bits moves a [0, 1] value by at most 0.5/255; normalisation scales that by 2
                float tolerance = PRE.normalization().scale(0) * 0.5f / 255f + 1e-6f;
                assertArrayEquals(direct, viaCache, tolerance, files.get(i).toString());
            }
        }
    }

    @Test
    void aSecondPassAndALaterRunReadNoImageFile() throws IOException {
        List<GrayImage> first;
        try (ResizedImageCache cache = open(ALL_IN_MEMORY)) {
            first = all(cache);
            assertEquals(files.size(), cache.stats().decodes());
            assertEquals(first, all(cache), "second pass from memory");
            assertEquals(files.size(), cache.stats().decodes(), "no decode in the second pass");
            assertEquals(files.size(), cache.stats().hits());
        }
        // the sources now hold garbage with their old length and time: only a cache that never reads them passes
        for (Path f : files) {
            garbleKeepingStamp(f);
        }
        try (ResizedImageCache diskOnly = open(0)) {
            assertFalse(diskOnly.inMemory());
            assertEquals(first, all(diskOnly), "a later run reads the disk tier");
            assertEquals(new ResizedImageCache.Stats(files.size(), 0, 0), diskOnly.stats());
        }
    }

    @Test
    void aChangedSourceIsReadAgain() throws IOException {
        List<GrayImage> before;
        try (ResizedImageCache cache = open(ALL_IN_MEMORY)) {
            before = all(cache);
            writePng(files.get(1), 33, 20, BufferedImage.TYPE_BYTE_GRAY, new Random(99));
            Files.setLastModifiedTime(files.get(1), FileTime.fromMillis(Files.getLastModifiedTime(files.get(1)).toMillis() + 5000));
            GrayImage changed = cache.get(1);
            assertNotEquals(before.get(1), changed);
            assertEquals(Gray8.image(24, Gray8.resized(files.get(1), PRE)), changed);
            assertEquals(files.size() + 1, cache.stats().decodes());
        }
        try (ResizedImageCache later = open(ALL_IN_MEMORY)) {
            assertEquals(Gray8.image(24, Gray8.resized(files.get(1), PRE)), later.get(1), "the rewritten slot was saved");
            assertEquals(before.get(0), later.get(0));
            assertEquals(0, later.stats().decodes());
        }
    }

    @Test
    void corruptSlotsAndIndexesAreDetectedAndRebuilt() throws IOException {
        List<GrayImage> expected;
        Path data;
        try (ResizedImageCache cache = open(0)) {
            expected = all(cache);
            data = cache.dataFile();
        }
        Path index = Path.of(data.toString().replace(".bin", ".json"));
        assertTrue(Files.isRegularFile(index));

        // flipped bytes in slot 2: its checksum no longer matches, so it is recomputed
        byte[] bytes = Files.readAllBytes(data);
        for (int i = 2 * 24 * 24; i < 2 * 24 * 24 + 10; i++) {
            bytes[i] ^= (byte) 0xFF;
        }
        Files.write(data, bytes);
        try (ResizedImageCache cache = open(0)) {
            assertEquals(expected, all(cache));
            assertEquals(new ResizedImageCache.Stats(files.size() - 1, 1, 1), cache.stats());
        }
        try (ResizedImageCache cache = open(0)) {
            assertEquals(expected, all(cache));
            assertEquals(0, cache.stats().decodes(), "the repaired slot was saved");
        }

        // a truncated index (as a torn write would leave without the atomic rename): nothing is trusted
        String json = Files.readString(index);
        Files.writeString(index, json.substring(0, json.length() / 2));
        try (ResizedImageCache cache = open(0)) {
            assertEquals(expected, all(cache));
            assertEquals(files.size(), cache.stats().decodes());
        }

        // a data file of the wrong length: rebuilt
        Files.write(data, new byte[100]);
        try (ResizedImageCache cache = open(0)) {
            assertEquals(expected, all(cache));
            assertEquals(files.size(), cache.stats().decodes());
            assertEquals((long) files.size() * 24 * 24, Files.size(data));
        }
    }

    @Test
    void slotsFilledButNeverSavedAreNotTrusted() throws IOException {
        ResizedImageCache crashed = open(0);
        all(crashed); // fewer new slots than trigger a save, and no close: as if the process died here
        try (ResizedImageCache later = open(0)) {
            all(later);
            assertEquals(files.size(), later.stats().decodes());
        }
    }

    @Test
    void anotherPreprocessingOrListGetsItsOwnFiles() {
        Preprocessing letterbox = new Preprocessing(24, ResizeMode.LETTERBOX, Normalization.MINUS_ONE_TO_ONE);
        try (ResizedImageCache a = open(0);
             ResizedImageCache b = ResizedImageCache.open(cacheDir, letterbox, files, 0);
             ResizedImageCache c = ResizedImageCache.open(cacheDir, PRE, files.subList(0, 3), 0)) {
            assertNotEquals(a.dataFile(), b.dataFile());
            assertNotEquals(a.dataFile(), c.dataFile());
            assertEquals(Gray8.image(24, Gray8.resized(files.get(0), letterbox)), b.get(0));
        }
    }

    @Test
    void concurrentLoadsGiveTheSequentialResult() throws Exception {
        List<GrayImage> sequential;
        try (ResizedImageCache reference = ResizedImageCache.open(null, PRE, files, 0)) {
            sequential = all(reference);
        }
        for (long budget : new long[] {0, ALL_IN_MEMORY}) {
            Path dir = Files.createTempDirectory(tmp, "concurrent");
            for (int round = 0; round < 2; round++) { // a cold cache, then the same cache reopened warm
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try (ResizedImageCache cache = ResizedImageCache.open(dir, PRE, files, budget)) {
                    List<Future<List<GrayImage>>> results = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        List<Integer> order = new ArrayList<>();
                        for (int repeat = 0; repeat < 5; repeat++) {
                            for (int i = 0; i < files.size(); i++) {
                                order.add(i);
                            }
                        }
                        Collections.shuffle(order, new Random(t));
                        results.add(pool.submit(() -> {
                            List<GrayImage> seen = new ArrayList<>(sequential);
                            for (int i : order) {
                                seen.set(i, cache.get(i));
                                assertEquals(sequential.get(i), seen.get(i));
                            }
                            return seen;
                        }));
                    }
                    for (Future<List<GrayImage>> r : results) {
                        assertEquals(sequential, r.get());
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void anUndecodableImageIsReportedEveryTimeAndNeverCached() throws IOException {
        Files.writeString(files.get(3), "not a png at all");
        try (ResizedImageCache cache = open(ALL_IN_MEMORY)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                BadImageException e = assertThrows(BadImageException.class, () -> cache.get(3));
                assertTrue(e.getMessage().contains(files.get(3).toString()), e.getMessage());
            }
            assertEquals(Gray8.image(24, Gray8.resized(files.get(0), PRE)), cache.get(0));
        }
        String index;
        try (ResizedImageCache later = open(0)) {
            index = Files.readString(Path.of(later.dataFile().toString().replace(".bin", ".json")));
        }
        assertTrue(index.contains("img0.png") && !index.contains("img3.png"), index);
    }

    @Test
    void quantizationRoundsToTheNearestLevelAndBack() {
        GrayImage image = new GrayImage(2, 2, new float[] {0f, 1f, 0.5f / 255f + 1e-4f, 2f});
        assertArrayEquals(new byte[] {0, (byte) 255, 1, (byte) 255}, Gray8.quantize(image));
        assertArrayEquals(new float[] {0f, 1f, 1 / 255f, 1f}, Gray8.image(2, Gray8.quantize(image)).pixels(), 0f);
    }
}
