package org.bonexray.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.bonexray.data.image.Gray8;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.ResizedImageCache;

/**
 * A DJL {@link Dataset} over the images of a list of studies, yielding batches of
 * (images {@code (N,3,S,S)}, [labels {@code (N)}, sample weights {@code (N)}]).
 *
 * <p>Images are decoded, resized, augmented and normalised on worker threads, a few batches ahead of the
 * consumer, straight into one buffer per batch (one copy into native memory instead of one per image).
 * The resized image is rounded to 8 bits ({@link Gray8}) with or without the {@link ResizedImageCache}
 * ({@link Builder#optImageCache}), so the cache changes the speed and never a pixel.
 * Order and augmentation depend only on the seed, the epoch and the image's index, never on thread
 * timing, so a run replays exactly. The batch's indices ({@link Batch#getIndices()}) point into {@link #items()}.
 */
public final class RadiographDataset implements Dataset, AutoCloseable {
    /** One image with the study it belongs to. */
    public record Item(Path image, Study study) {
    }

    private final List<Item> items;
    private final Preprocessing preprocessing;
    private final RandomAugmentation augmentation;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropSingletonBatch;
    private final long seed;
    private final int threads;
    private final int prefetch;
    private final BadImagePolicy badImages;
    private final ToDoubleFunction<Item> sampleWeight;
    private final SkippedImages skipped = new SkippedImages();
    private final ResizedImageCache cache;
    private volatile int epoch;

    private RadiographDataset(Builder b) {
        this.items = b.studies.stream().flatMap(s -> s.images().stream().map(p -> new Item(p, s))).toList();
        this.preprocessing = Objects.requireNonNull(b.preprocessing, "preprocessing");
        this.augmentation = b.augmentation;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropSingletonBatch = b.dropSingletonBatch;
        this.seed = b.seed;
        this.threads = b.threads;
        this.prefetch = b.prefetch;
        this.badImages = b.badImages;
        this.sampleWeight = b.sampleWeight;
        this.cache = b.cache == null ? null : ResizedImageCache.open(b.cache.dir(), preprocessing,
                items.stream().map(Item::image).toList(), b.cache.memoryBudgetBytes());
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Item> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches one pass yields (before any image is skipped). */
    public int batchCount() {
        int full = items.size() / batchSize;
        int rest = items.size() % batchSize;
        return full + (rest > 1 || (rest == 1 && !dropSingletonBatch) ? 1 : 0);
    }

    /** Chooses the epoch whose order and augmentation the next pass replays. */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    public SkippedImages skipped() {
        return skipped;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The cache of resized images, when one was asked for. */
    public java.util.Optional<ResizedImageCache> imageCache() {
        return java.util.Optional.ofNullable(cache);
    }

    /**
     * Fills the image cache, if any, with every image it does not hold yet, on the data threads, before a pass
     * needs them ({@link ImageCacheFill}).
     *
     * @param out where progress goes
     * @param label the progress line's label
     * @return the number of images decoded into the cache (0 without a cache, or when it held them all)
     */
    public int fillImageCache(PrintStream out, String label) {
        return cache == null ? 0 : ImageCacheFill.fill(cache, items.size(), threads, out, label);
    }

    /** Saves and releases the image cache, if any. */
    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Override
    public Iterable<Batch> getData(NDManager manager) {
        List<int[]> batches = plan(epoch);
        return () -> new PrefetchingIterator(this, manager, batches, epoch);
    }

    @Override
    public void prepare(Progress progress) {
        // nothing to download or build: images are read lazily, batch by batch
    }

    /** The image indices of each batch of one pass, in order. */
    List<int[]> plan(int forEpoch) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, items.size()).boxed().toList());
        if (shuffle) {
            Collections.shuffle(order, new Random(seed * 1_000_003L + forEpoch));
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            int end = Math.min(order.size(), start + batchSize);
            if (end - start == 1 && dropSingletonBatch && start > 0) {
                break; // a batch of one makes BatchNorm's training statistics degenerate
            }
            batches.add(order.subList(start, end).stream().mapToInt(Integer::intValue).toArray());
        }
        return batches;
    }

    /**
     * Decodes, resizes (8-bit, through the cache when there is one), augments and normalises one image into
     * {@code dest} at {@code offset}. Augmenting the resized square rather than the original is the documented
     * order of {@link Preprocessing} and what lets the cache hold the augmentation-free part.
     */
    void load(int index, int forEpoch, float[] dest, int offset) {
        GrayImage image = cache != null ? cache.get(index)
                : Gray8.image(preprocessing.size(), Gray8.resized(items.get(index).image(), preprocessing));
        if (augmentation != null && augmentation != RandomAugmentation.NONE) {
            long mixed = seed * 0x9E3779B97F4A7C15L + forEpoch * 0xBF58476D1CE4E5B9L + index;
            image = augmentation.apply(image, new java.util.SplittableRandom(mixed));
        }
        preprocessing.toChw(image, dest, offset); // already size x size: no second resize
    }

    /** A pass ended: what the cache learnt is saved, so that a later run finds it. */
    void passEnded() {
        if (cache != null) {
            cache.save();
        }
    }

    Batch toBatch(NDManager parent, float[] pixels, int[] indices, int progress, int total) {
        int n = indices.length;
        int s = preprocessing.size();
        float[] labels = new float[n];
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
            Item item = items.get(indices[i]);
            labels[i] = item.study().label().value();
            weights[i] = (float) sampleWeight.applyAsDouble(item);
        }
        NDManager manager = parent.newSubManager();
        NDArray data = InputBatches.fromPixels(manager, pixels, n, s);
        NDList labelList = new NDList(manager.create(labels), manager.create(weights));
        List<Integer> idx = IntStream.of(indices).boxed().toList();
        return new Batch(manager, new NDList(data), labelList, n, Batchifier.STACK, Batchifier.STACK, progress, total, idx);
    }

    int threads() {
        return threads;
    }

    int prefetch() {
        return prefetch;
    }

    BadImagePolicy badImagePolicy() {
        return badImages;
    }

    private record ImageCacheSettings(Path dir, long memoryBudgetBytes) {
    }

    /** Builds a {@link RadiographDataset}: {@code setX} for required values, {@code optX} for the rest. */
    public static final class Builder {
        private List<Study> studies = List.of();
        private Preprocessing preprocessing;
        private RandomAugmentation augmentation = RandomAugmentation.NONE;
        private int batchSize = 64;
        private boolean shuffle;
        private boolean dropSingletonBatch;
        private long seed = 42;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int prefetch = 2;
        private BadImagePolicy badImages = BadImagePolicy.FAIL;
        private ToDoubleFunction<Item> sampleWeight = item -> 1.0;
        private ImageCacheSettings cache;

        public Builder setStudies(List<Study> studies) {
            this.studies = List.copyOf(studies);
            return this;
        }

        public Builder setPreprocessing(Preprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        public Builder optAugmentation(RandomAugmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffles every epoch (seeded) and drops a last batch of a single image, for training. */
        public Builder optTraining(boolean training) {
            this.shuffle = training;
            this.dropSingletonBatch = training;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder optPrefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        public Builder optBadImages(BadImagePolicy policy) {
            this.badImages = policy;
            return this;
        }

        public Builder optSampleWeight(ToDoubleFunction<Item> weight) {
            this.sampleWeight = weight;
            return this;
        }

        /**
         * Keeps the decoded, resized 8-bit images in a {@link ResizedImageCache}: in memory when they all fit in
         * {@code memoryBudgetBytes}, and in {@code dir} (null for memory only) so that later runs reuse them.
         */
        public Builder optImageCache(Path dir, long memoryBudgetBytes) {
            this.cache = new ImageCacheSettings(dir, memoryBudgetBytes);
            return this;
        }

        public RadiographDataset build() {
            if (studies.isEmpty()) {
                throw new IllegalArgumentException("no studies to read images from");
            }
            if (batchSize < 1 || threads < 1 || prefetch < 1) {
                throw new IllegalArgumentException("batch size, threads and prefetch must be >= 1");
            }
            return new RadiographDataset(this);
        }
    }
}
