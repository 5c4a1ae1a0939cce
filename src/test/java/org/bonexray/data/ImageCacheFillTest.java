package org.bonexray.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.bonexray.data.image.Gray8;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.data.image.ResizedImageCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fill before training decodes each image once, leaves bad files to the epoch's policy, and persists. */
class ImageCacheFillTest {
    private static final Preprocessing PRE = new Preprocessing(16, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE);

    @TempDir
    Path tmp;

    @Test
    void fillsWhatIsMissingOnceAndLeavesBadFilesOut() throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            files.add(png(tmp.resolve("img" + i + ".png"), 20 + 7 * i, 30 + 3 * i));
        }
        Path bad = Files.writeString(tmp.resolve("bad.png"), "not a png at all");
        files.add(2, bad);
        Path dir = tmp.resolve("cache");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (ResizedImageCache cache = ResizedImageCache.open(dir, PRE, files, 0)) {
            assertEquals(6, ImageCacheFill.fill(cache, files.size(), 2, out, "preparing"));
            for (int i = 0; i < files.size(); i++) {
                assertEquals(i != 2, cache.holds(i), "slot " + i);
            }
            assertEquals(6, cache.stats().decodes());
            assertEquals(0, ImageCacheFill.fill(cache, files.size(), 2, out, "preparing"), "nothing left to fill");
            assertEquals(6, cache.stats().decodes(), "a filled slot is not decoded again");
            assertArrayEquals(Gray8.image(16, Gray8.resized(files.get(4), PRE)).pixels(), cache.get(4).pixels());
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("preparing"), log.toString(StandardCharsets.UTF_8));
        try (ResizedImageCache reopened = ResizedImageCache.open(dir, PRE, files, 0)) {
            assertEquals(0, ImageCacheFill.fill(reopened, files.size(), 2, out, "preparing"),
                    "the fill was saved: a later run finds it");
            assertFalse(reopened.holds(2));
        }
    }

    private static Path png(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = (x * 11 + y * 5) & 0xFF;
                image.setRGB(x, y, grey << 16 | grey << 8 | grey);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
