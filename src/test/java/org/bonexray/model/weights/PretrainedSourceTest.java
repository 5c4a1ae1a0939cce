package org.bonexray.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bonexray.data.DataException;
import org.bonexray.data.image.Normalization;
import org.bonexray.io.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue, --pretrained's resolution, and weights found in the three caches before anything is fetched. */
class PretrainedSourceTest {
    @TempDir
    Path dir;

    private WeightsCaches caches() {
        return new WeightsCaches(dir.resolve("bx"), dir.resolve("hf"), dir.resolve("torch/hub/checkpoints"));
    }

    private PretrainedStore offline() {
        WeightsDownloader downloader = new WeightsDownloader(caches().bonexray(), true,
                new PrintStream(new ByteArrayOutputStream()));
        return new PretrainedStore(downloader, caches(), WeightsEndpoints.PUBLIC);
    }

    @Test
    void catalogueHasPinnedRevisionsInItsUrlsAndOnlyCheckedChecksums() {
        PretrainedWeights w = PretrainedWeights.forVariant("densenet169");
        assertEquals(PretrainedWeights.DENSENET169_IMAGENET, w);
        assertEquals("https://huggingface.co/timm/densenet169.tv_in1k/resolve/main/model.safetensors",
                w.url(WeightsEndpoints.PUBLIC).toString());
        assertEquals("https://huggingface.co/timm/densenet121.tv_in1k/resolve/f0d0f2698a02cb133b09d48396db6e1e46fe9f3b/"
                + "model.safetensors", PretrainedWeights.DENSENET121_IMAGENET.url(WeightsEndpoints.PUBLIC).toString());
        assertEquals(Optional.of("c894c6d9caa317a8ca1942986dee7a16a86c77734a4d691d2abe05389cfef358"),
                PretrainedWeights.DENSENET121_IMAGENET.sha256());
        assertEquals("https://download.pytorch.org/models/densenet169-b2777c0a.pth",
                PretrainedWeights.DENSENET169_TORCHVISION.url(WeightsEndpoints.PUBLIC).toString());
        assertEquals(PretrainedWeights.DENSENET169_TORCHVISION, PretrainedWeights.named("densenet169-b2777c0a.pth"));
        assertEquals(PretrainedWeights.DENSENET201_IMAGENET, PretrainedWeights.named("densenet201"));
        assertThrows(IllegalArgumentException.class, () -> PretrainedWeights.forVariant("tiny"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PretrainedWeights.named("resnet50"))
                .getMessage().contains("densenet169.tv_in1k"));
    }

    @Test
    void mirrorsComeFromTheEnvironment() {
        WeightsEndpoints e = WeightsEndpoints.fromEnvironment(java.util.Map.of(WeightsEndpoints.HUB_ENV, "http://mirror/hf"));
        assertEquals("http://mirror/hf/timm/densenet169.tv_in1k/resolve/main/model.safetensors",
                PretrainedWeights.DENSENET169_IMAGENET.url(e).toString());
    }

    @Test
    void userSha256MustAgreeWithThePinnedOne() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> PretrainedSource.resolve("imagenet", "densenet121", "0".repeat(64), offline()));
        assertTrue(e.getMessage().contains("c894c6d9"), e.getMessage());
    }

    @Test
    void offlineWithNothingCachedSaysHowToBringTheFileIn() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> PretrainedSource.resolve("imagenet", "densenet169", null, offline()));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertTrue(e.getMessage().contains("bonexray weights import FILE --as densenet169.tv_in1k"), e.getMessage());
        assertTrue(e.getMessage().contains(caches().bonexray().resolve("densenet169.tv_in1k.safetensors").toString()));
    }

    @Test
    void aFileInTheHuggingFaceCacheIsUsedWhenItsBlobNameIsItsSha256() throws IOException {
        byte[] bytes = WeightsDownloaderTest.randomBytes(3000, 5);
        String sha = Sha256.of(bytes);
        String revision = "a".repeat(40);
        Path repo = caches().huggingFace().resolve("models--timm--densenet169.tv_in1k");
        Path blob = Files.write(Files.createDirectories(repo.resolve("blobs")).resolve(sha), bytes);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(revision));
        Files.createSymbolicLink(snapshot.resolve("model.safetensors"), Path.of("../../blobs").resolve(sha));
        Files.writeString(Files.createDirectories(repo.resolve("refs")).resolve("main"), revision);

        PretrainedSource source = PretrainedSource.resolve("ImageNet", "DENSENET169", null, offline());
        FetchedWeights found = source.catalogue().orElseThrow();
        assertEquals(blob.toRealPath(), source.file().toRealPath());
        assertEquals(revision, found.revision());
        assertEquals(sha, found.sha256());
        assertEquals("Hugging Face cache", found.location());
        assertTrue(found.url().contains("/resolve/" + revision + "/"), found.url());

        Files.write(blob, WeightsDownloaderTest.randomBytes(3000, 6)); // no longer what its name says
        assertThrows(WeightsException.class, () -> PretrainedSource.resolve("imagenet", "densenet169", null, offline()));
    }

    @Test
    void aFileInBonexraysCacheIsUsedWithItsRecordedDigestAndRevision() throws IOException {
        byte[] bytes = WeightsDownloaderTest.randomBytes(2000, 8);
        Path cached = Files.write(Files.createDirectories(caches().bonexray()).resolve("densenet201.tv_in1k.safetensors"), bytes);
        assertThrows(WeightsException.class, () -> PretrainedSource.resolve("imagenet", "densenet201", null, offline()),
                "without a pinned or recorded digest the file is not trusted");
        CacheRecord.write(new FetchedWeights("densenet201.tv_in1k", cached, "http://hub/x", "b".repeat(40), Sha256.of(bytes),
                "the SHA-256 the hub publishes", "downloaded"));
        FetchedWeights found = PretrainedSource.resolve("imagenet", "densenet201", null, offline()).catalogue().orElseThrow();
        assertEquals("b".repeat(40), found.revision());
        assertEquals("bonexray cache", found.location());
        assertTrue(found.verifiedBy().contains("checked again"), found.verifiedBy());
    }

    @Test
    void anImportedFileIsVerifiedRecordedAndThenFoundOffline() throws IOException {
        byte[] bytes = WeightsDownloaderTest.randomBytes(4000, 12);
        Path brought = Files.write(dir.resolve("model.safetensors"), bytes);
        WeightsException wrong = assertThrows(WeightsException.class,
                () -> offline().importFile(brought, "densenet169.tv_in1k", "1".repeat(64)));
        assertTrue(wrong.getMessage().contains("nothing was imported"), wrong.getMessage());
        assertFalse(Files.exists(caches().bonexray().resolve("densenet169.tv_in1k.safetensors")));
        assertThrows(WeightsException.class, () -> offline().importFile(brought, "densenet169.tv_in1k", null),
                "an entry without a pinned digest needs the user's");

        FetchedWeights imported = offline().importFile(brought, "densenet169.tv_in1k", Sha256.of(bytes));
        assertEquals("imported", imported.location());
        FetchedWeights found = PretrainedSource.resolve("imagenet", "densenet169", null, offline()).catalogue().orElseThrow();
        assertEquals(imported.file(), found.file());
        assertEquals(Sha256.of(bytes), found.sha256());
    }

    @Test
    void aTorchHubFileWhoseHashDoesNotMatchItsNameIsNotUsed() throws IOException {
        Path hub = Files.createDirectories(caches().torchHub());
        Files.write(hub.resolve("densenet121-a639ec97.pth"), new byte[100]);
        CacheState state = offline().states(PretrainedWeights.DENSENET121_TORCHVISION).get(1);
        assertEquals("torch hub cache", state.location());
        assertTrue(state.state().startsWith("present but not used"), state.state());
        assertTrue(state.weights().isEmpty());
    }

    @Test
    void localFilesAreTakenByContentWithTheScalingTheyExpect() throws IOException {
        Path xrv = Fixtures.path("weights/xrv-tiny-densenet.pt");
        PretrainedSource source = PretrainedSource.resolve(xrv.toString(), "tiny", null, offline());
        assertEquals(Optional.empty(), source.catalogue());
        assertEquals(Optional.of(Normalization.XRAY), PretrainedSource.expectedNormalization(xrv.toString()));
        assertEquals(Optional.of(Normalization.IMAGENET),
                PretrainedSource.expectedNormalization(Fixtures.path("weights/tiny-zip.pth").toString()));
        assertEquals(Optional.of(Normalization.IMAGENET), PretrainedSource.expectedNormalization("imagenet"));
        assertEquals(Optional.empty(), PretrainedSource.expectedNormalization("none"));
        assertThrows(DataException.class,
                () -> PretrainedSource.resolve(dir.resolve("absent.npz").toString(), "densenet169", null, offline()));
        Path junk = Files.write(dir.resolve("weights.pth"), new byte[16]);
        assertThrows(DataException.class, () -> PretrainedSource.resolve(junk.toString(), "densenet169", null, offline()));
    }

    @Test
    void aTorchHubNamedFileMustHaveTheHashItsNameSays() throws IOException {
        Path good = Fixtures.path("weights/" + CheckpointFormatsTest.hubName());
        assertTrue(String.join(" ", WeightsFiles.read(good).notes()).contains("torch.hub file name"));
        Path renamed = Files.copy(good, dir.resolve("tinydense-00000000.pth"));
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(renamed));
        assertTrue(e.getMessage().contains("starts with 00000000"), e.getMessage());
        Path plain = Files.copy(good, dir.resolve("run-2.pth"));
        assertFalse(WeightsFiles.torchHubPrefix(plain).isPresent(), "short digit runs are not torch.hub names");
    }
}
