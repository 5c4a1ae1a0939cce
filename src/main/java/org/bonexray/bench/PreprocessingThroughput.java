package org.bonexray.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.ResizedImageCache;

/**
 * Measures how many images per second the input side sustains: decode, augment, preprocess into a CHW buffer.
 *
 * <p>Used by the {@code bench} command's data workload to tell whether data loading can keep the network busy.
 */
public final class PreprocessingThroughput {
    private static final long SEED = 20_171_204L;

    private PreprocessingThroughput() {
    }

    /**
     * Decodes, augments and preprocesses every file {@code repeats} times on {@code threads} threads.
     *
     * @return images per second over the whole run
     * @throws BadImageException for the first file that cannot be decoded
     */
    public static double imagesPerSecond(List<Path> files, Preprocessing preprocessing,
            RandomAugmentation augmentation, int threads, int repeats) {
        return imagesPerSecond(files.size(), i -> preprocessing.resize(ImageDecoder.decode(files.get(i))),
                preprocessing, augmentation, threads, repeats);
    }

    /**
     * As {@link #imagesPerSecond(List, Preprocessing, RandomAugmentation, int, int)} with the resized images coming
     * from {@code resized} (image index to {@code size} x {@code size} image), e.g. a {@link ResizedImageCache}.
     */
    public static double imagesPerSecond(int count, IntFunction<GrayImage> resized, Preprocessing preprocessing,
            RandomAugmentation augmentation, int threads, int repeats) {
        if (count < 1 || threads < 1 || repeats < 1) {
            throw new IllegalArgumentException("need files, threads >= 1 and repeats >= 1; got " + count
                    + " files, " + threads + " threads, " + repeats + " repeats");
        }
        int total = count * repeats;
        List<Callable<Double>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            workers.add(() -> work(count, resized, preprocessing, augmentation, first, threads, total));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            double checksum = 0;
            for (Future<Double> result : pool.invokeAll(workers)) {
                checksum += result.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (Double.isNaN(checksum)) {
                throw new IllegalStateException("preprocessing produced NaN");
            }
            return total / Math.max(seconds, 1e-9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Processes images first, first + stride, ... and returns a checksum so the work cannot be optimised away. */
    private static double work(int count, IntFunction<GrayImage> resized, Preprocessing preprocessing,
            RandomAugmentation augmentation, int first, int stride, int total) {
        float[] buffer = new float[preprocessing.floatsPerImage()];
        double checksum = 0;
        for (int i = first; i < total; i += stride) {
            GrayImage image = resized.apply(i % count);
            image = augmentation.apply(image, new SplittableRandom(SEED + i));
            preprocessing.toChw(image, buffer, 0);
            checksum += buffer[buffer.length / 2];
        }
        return checksum;
    }
}
