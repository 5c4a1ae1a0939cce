package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.image.BadImageException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throughput probe runs the whole input chain and reports bad files instead of a rate. */
class PreprocessingThroughputTest {
    @TempDir
    Path dir;

    @Test
    void returnsAPositiveRate() throws IOException {
        Path png = Files.write(dir.resolve("a.png"),
                ImageDecoderBadFilesTest.encode(ImageDecoderBadFilesTest.noise(80, 60, BufferedImage.TYPE_BYTE_GRAY),
                        "png"));
        Path jpg = Files.write(dir.resolve("b.jpg"),
                ImageDecoderBadFilesTest.encode(ImageDecoderBadFilesTest.noise(50, 70, BufferedImage.TYPE_3BYTE_BGR),
                        "jpeg"));
        double rate = PreprocessingThroughput.imagesPerSecond(List.of(png, jpg),
                new Preprocessing(32, ResizeMode.LETTERBOX, Normalization.IMAGENET), RandomAugmentation.MURA, 2, 2);
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
