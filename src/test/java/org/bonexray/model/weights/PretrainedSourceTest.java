package org.bonexray.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bonexray.data.DataException;
import org.bonexray.io.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedSourceTest {
    @TempDir
    Path dir;

    private WeightsDownloader offline() {
        return new WeightsDownloader(dir.resolve("cache"), true, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void catalogueHasTimmUrlsAndOnlyCheckedChecksums() {
        PretrainedWeights w = PretrainedWeights.forVariant("densenet169");
        assertEquals(PretrainedWeights.DENSENET169_IMAGENET, w);
        assertEquals("https://huggingface.co/timm/densenet169.tv_in1k/resolve/main/model.safetensors", w.url().toString());
        assertEquals("imagenet", w.preprocessingPreset());
        assertEquals(Optional.of("c894c6d9caa317a8ca1942986dee7a16a86c77734a4d691d2abe05389cfef358"),
                PretrainedWeights.DENSENET121_IMAGENET.sha256());
        assertThrows(IllegalArgumentException.class, () -> PretrainedWeights.forVariant("tiny"));
    }

    @Test
    void entryWithoutPinnedChecksumNeedsTheUsersSha256() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> PretrainedSource.resolve("imagenet", "densenet169", null, offline()));
        assertTrue(e.getMessage().contains("--sha256"), e.getMessage());
        assertTrue(e.getMessage().contains("--pretrained FILE"), e.getMessage());
    }

    @Test
    void userSha256MustAgreeWithThePinnedOne() {
        String other = "0".repeat(64);
        WeightsException e = assertThrows(WeightsException.class,
                () -> PretrainedSource.resolve("imagenet", "densenet121", other, offline()));
        assertTrue(e.getMessage().contains("c894c6d9"), e.getMessage());
    }

    @Test
    void imagenetResolvesToTheVerifiedCachedFile() throws IOException {
        byte[] bytes = WeightsDownloaderTest.randomBytes(1000, 5);
        WeightsDownloader downloader = offline();
        Files.createDirectories(downloader.cacheDir());
        Path cached = downloader.cachedPath(PretrainedWeights.DENSENET169_IMAGENET.fileName());
        Files.write(cached, bytes);
        PretrainedSource source = PretrainedSource.resolve("ImageNet", "DENSENET169", Sha256.of(bytes), downloader);
        assertEquals(cached, source.file());
        assertEquals(Optional.of("imagenet"), source.preprocessingPreset());
    }

    @Test
    void imagenetOfflineWithoutCacheSaysWhereToPutTheFile() {
        WeightsDownloader downloader = offline();
        WeightsException e = assertThrows(WeightsException.class,
                () -> PretrainedSource.resolve("imagenet", "densenet121", null, downloader));
        assertTrue(e.getMessage().contains(downloader.cachedPath("densenet121.tv_in1k.safetensors").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains(PretrainedWeights.DENSENET121_IMAGENET.url().toString()), e.getMessage());
    }

    @Test
    void localFilesAreTakenAsTheyAre() throws IOException {
        Path file = Files.write(dir.resolve("mine.safetensors"), new byte[16]);
        PretrainedSource source = PretrainedSource.resolve(file.toString(), "densenet169", null, offline());
        assertEquals(file, source.file());
        assertEquals(Optional.empty(), source.catalogueEntry());
        assertThrows(DataException.class,
                () -> PretrainedSource.resolve(dir.resolve("absent.npz").toString(), "densenet169", null, offline()));
        Path wrong = Files.write(dir.resolve("weights.pth"), new byte[16]);
        assertThrows(DataException.class, () -> PretrainedSource.resolve(wrong.toString(), "densenet169", null, offline()));
    }
}
