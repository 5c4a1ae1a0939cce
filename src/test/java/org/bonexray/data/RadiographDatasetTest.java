package org.bonexray.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.image.Gray8;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.ResizeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RadiographDatasetTest {
    private static final Preprocessing PRE = new Preprocessing(16, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE);

    @TempDir
    Path tmp;

    private List<Study> studies() {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        return MuraIndexLoader.load(tree.root, LoadOptions.STRICT).studies();
    }

    private RadiographDataset.Builder builder(List<Study> studies) {
        return RadiographDataset.builder().setStudies(studies).setPreprocessing(PRE).optBatchSize(4).optThreads(2);
    }

    /** Every batch's item indices, in order. */
    private static List<List<Object>> order(RadiographDataset set, NDManager manager) {
        List<List<Object>> out = new ArrayList<>();
        for (Batch b : set.getData(manager)) {
            try (b) {
                out.add(new ArrayList<>(b.getIndices()));
            }
        }
        return out;
    }

    @Test
    void batchesHoldPreprocessedImagesLabelsAndWeights() {
        List<Study> studies = studies();
        RadiographDataset set = builder(studies).optSampleWeight(item -> item.study().label().isAbnormal() ? 2 : 1).build();
        assertEquals(13, set.size());
        assertEquals(4, set.batchCount());
        int seen = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : set.getData(manager)) {
                try (batch) {
                    int n = batch.getSize();
                    assertEquals(new Shape(n, 3, 16, 16), batch.getData().singletonOrThrow().getShape());
                    float[] pixels = batch.getData().singletonOrThrow().toFloatArray();
                    float[] labels = batch.getLabels().get(0).toFloatArray();
                    float[] weights = batch.getLabels().get(1).toFloatArray();
                    for (int i = 0; i < n; i++) {
                        RadiographDataset.Item item = set.items().get((Integer) batch.getIndices().get(i));
                        // decode, resize, round to 8 bits, normalise
                        float[] expected = PRE.toChw(Gray8.image(16, Gray8.resized(item.image(), PRE)));
                        float[] actual = java.util.Arrays.copyOfRange(pixels, i * expected.length, (i + 1) * expected.length);
                        assertArrayEquals(expected, actual, 0f);
                        // which is the inference pipeline's input to within half a grey level
                        assertArrayEquals(PRE.toChw(ImageDecoder.decode(item.image())), actual, 1f / 255 + 1e-6f);
                        assertEquals(item.study().label().value(), labels[i]);
                        assertEquals(item.study().label().isAbnormal() ? 2f : 1f, weights[i]);
                    }
                    seen += n;
                }
            }
        }
        assertEquals(13, seen);
    }

    @Test
    void channelsLastBatchesHoldEachImagesPreprocessedValuesInTheLogicalShape() {
        List<Study> studies = studies();
        try (NDManager manager = NDManager.newBaseManager()) {
            RadiographDataset dataset = builder(studies).build();
            List<float[]> batches = pixels(dataset, manager);
            int perImage = Preprocessing.CHANNELS * 16 * 16;
            int image = 0;
            for (float[] batch : batches) {
                for (int offset = 0; offset < batch.length; offset += perImage, image++) {
                    float[] expected = new float[perImage];
                    dataset.load(image, 0, expected, 0);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(batch, offset, offset + perImage), 0f,
                            "image " + image);
                }
            }
            assertEquals(dataset.size(), image);
            // the same values through the engine too: a convolution-free reduction per channel and row
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    NDArray x = batch.getData().singletonOrThrow();
                    assertEquals(new Shape(batch.getSize(), 3, 16, 16), x.getShape());
                    float[] rowSums = x.sum(new int[] {3}).toFloatArray();
                    float[] values = x.toFloatArray();
                    for (int r = 0; r < rowSums.length; r++) {
                        float sum = 0;
                        for (int col = 0; col < 16; col++) {
                            sum += values[r * 16 + col];
                        }
                        assertEquals(sum, rowSums[r], 1e-4f, "row " + r);
                    }
                }
            }
        }
    }

    private static List<float[]> pixels(RadiographDataset set, NDManager manager) {
        List<float[]> out = new ArrayList<>();
        for (Batch b : set.getData(manager)) {
            try (b) {
                out.add(b.getData().singletonOrThrow().toFloatArray());
            }
        }
        return out;
    }

    @Test
    void trainingOrderIsSeededPerEpochAndEvaluationOrderIsFixed() {
        List<Study> studies = studies();
        try (NDManager manager = NDManager.newBaseManager()) {
            RadiographDataset a = builder(studies).optTraining(true).optSeed(5).build();
            RadiographDataset b = builder(studies).optTraining(true).optSeed(5).optThreads(1).build();
            a.setEpoch(1);
            b.setEpoch(1);
            assertEquals(order(a, manager), order(b, manager), "same seed and epoch, any thread count: same order");
            List<List<Object>> epoch1 = order(a, manager);
            a.setEpoch(2);
            assertNotEquals(epoch1, order(a, manager));
            RadiographDataset eval = builder(studies).build();
            assertEquals(List.of(0, 1, 2, 3), order(eval, manager).get(0));
        }
    }

    @Test
    void augmentationReplaysForTheSameSeedEpochAndImage() {
        List<Study> studies = studies();
        RandomAugmentation strong = new RandomAugmentation(0.5, 30, 0.1, 0.1);
        float[] first = new float[3 * 16 * 16];
        float[] again = new float[3 * 16 * 16];
        float[] otherEpoch = new float[3 * 16 * 16];
        RadiographDataset set = builder(studies).optAugmentation(strong).optSeed(3).build();
        set.load(2, 1, first, 0);
        set.load(2, 1, again, 0);
        set.load(2, 2, otherEpoch, 0);
        assertArrayEquals(first, again, 0f);
        assertTrue(!java.util.Arrays.equals(first, otherEpoch), "another epoch draws other augmentations");
    }

    @Test
    void aBadImageStopsTheRunUnlessSkippingIsAllowedAndThenItIsCounted() throws IOException {
        List<Study> studies = studies();
        Path bad = studies.get(0).images().get(0);
        Files.writeString(bad, "truncated");
        try (NDManager manager = NDManager.newBaseManager()) {
            DataException e = assertThrows(DataException.class, () -> order(builder(studies).build(), manager));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());

            RadiographDataset lenient = builder(studies).optBadImages(BadImagePolicy.SKIP).build();
            int images = order(lenient, manager).stream().mapToInt(List::size).sum();
            assertEquals(12, images);
            assertEquals(1, lenient.skipped().count());
            assertTrue(lenient.skipped().lines().get(0).startsWith(bad.toString()));
        }
    }

    /** Every batch's pixels, in order, for two epochs. */
    private static List<float[]> twoEpochs(RadiographDataset set, NDManager manager) {
        List<float[]> out = new ArrayList<>();
        for (int epoch = 1; epoch <= 2; epoch++) {
            set.setEpoch(epoch);
            for (Batch b : set.getData(manager)) {
                try (b) {
                    out.add(b.getData().singletonOrThrow().toFloatArray());
                }
            }
        }
        return out;
    }

    @Test
    void theImageCacheChangesNoPixelAndTheSecondEpochDecodesNothing() throws IOException {
        List<Study> studies = studies();
        RandomAugmentation strong = new RandomAugmentation(0.5, 30, 0.1, 0.1);
        Path cacheDir = tmp.resolve("cache");
        try (NDManager manager = NDManager.newBaseManager()) {
            RadiographDataset plain = builder(studies).optTraining(true).optAugmentation(strong).optSeed(9).build();
            List<float[]> expected = twoEpochs(plain, manager);
            try (RadiographDataset cached = builder(studies).optTraining(true).optAugmentation(strong).optSeed(9)
                    .optImageCache(cacheDir, 0).build()) {
                List<float[]> actual = twoEpochs(cached, manager);
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i), 0f, "batch " + i);
                }
                assertEquals(13, cached.imageCache().orElseThrow().stats().decodes(), "each image decoded once");
            }
            // a later run with another thread count: served from disk, the sources are never opened
            for (Study s : studies) {
                for (Path image : s.images()) {
                    var modified = Files.getLastModifiedTime(image);
                    Files.write(image, new byte[(int) Files.size(image)]);
                    Files.setLastModifiedTime(image, modified);
                }
            }
            try (RadiographDataset later = builder(studies).optTraining(true).optAugmentation(strong).optSeed(9)
                    .optThreads(1).optImageCache(cacheDir, 0).build()) {
                List<float[]> actual = twoEpochs(later, manager);
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i), 0f, "batch " + i);
                }
                assertEquals(0, later.imageCache().orElseThrow().stats().decodes());
            }
        }
    }

    @Test
    void withTheCacheABadImageStillStopsTheRunOrIsSkippedEveryEpoch() throws IOException {
        List<Study> studies = studies();
        Path bad = studies.get(0).images().get(0);
        Files.writeString(bad, "truncated");
        try (NDManager manager = NDManager.newBaseManager();
             RadiographDataset strict = builder(studies).optImageCache(tmp.resolve("cache"), Long.MAX_VALUE).build();
             RadiographDataset lenient = builder(studies).optBadImages(BadImagePolicy.SKIP)
                     .optImageCache(tmp.resolve("cache"), Long.MAX_VALUE).build()) {
            DataException e = assertThrows(DataException.class, () -> order(strict, manager));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            for (int epoch = 0; epoch < 2; epoch++) {
                int images = order(lenient, manager).stream().mapToInt(List::size).sum();
                assertEquals(12, images);
                assertEquals(1, lenient.skipped().count());
                assertTrue(lenient.skipped().lines().get(0).startsWith(bad.toString()));
            }
            assertEquals(12, lenient.imageCache().orElseThrow().stats().decodes(), "the good ones decoded once, the bad one never cached");
        }
    }

    @Test
    void aLastBatchOfOneIsDroppedOnlyInTraining() {
        List<Study> studies = studies();
        RadiographDataset train = builder(studies).optBatchSize(6).optTraining(true).build();
        RadiographDataset eval = builder(studies).optBatchSize(6).build();
        assertEquals(2, train.batchCount());
        assertEquals(3, eval.batchCount());
    }
}
