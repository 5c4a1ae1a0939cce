package org.bonexray.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.BadImageException.Reason;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.ResizeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throughput probe runs the whole input chain over every image, once per repeat, and reports bad files. */
class PreprocessingThroughputTest {
    @TempDir
    Path dir;

    @Test
    void everyImageGoesThroughTheChainOncePerRepeatSpreadOverTheThreads() {
        Preprocessing preprocessing = new Preprocessing(16, ResizeMode.SQUASH, Normalization.IMAGENET);
        int count = 7;
        AtomicIntegerArray loads = new AtomicIntegerArray(count);
        double rate = PreprocessingThroughput.imagesPerSecond(count, i -> {
            loads.incrementAndGet(i);
            return new GrayImage(16, 16, new float[16 * 16]);
        }, preprocessing, RandomAugmentation.MURA, 3, 4);
        for (int i = 0; i < count; i++) {
            assertEquals(4, loads.get(i), "image " + i);
        }
        assertTrue(rate > 0 && Double.isFinite(rate), "rate " + rate);
    }

    @Test
    void aBadFileStopsTheMeasurementWithItsReason() throws IOException {
        Path bad = Files.write(dir.resolve("bad.png"), new byte[0]);
        BadImageException e = assertThrows(BadImageException.class, () -> PreprocessingThroughput.imagesPerSecond(
                List.of(bad), Preprocessing.DEFAULT, RandomAugmentation.NONE, 1, 1));
        assertEquals(Reason.EMPTY, e.reason());
        assertThrows(IllegalArgumentException.class, () -> PreprocessingThroughput.imagesPerSecond(
                List.of(), Preprocessing.DEFAULT, RandomAugmentation.NONE, 1, 1));
    }
}
