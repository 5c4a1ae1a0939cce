package org.bonexray.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bonexray.data.DataException;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.ResizedImageCache;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.ProcessMemory;

/**
 * Times the input side over a folder of PNGs: decode, resize, MURA's random flip and rotation, normalise into a
 * CHW float buffer, on a given number of threads. Each timed pass goes over every image once. With a cache
 * ({@link CacheMode}), the resized images come from a warm {@link ResizedImageCache} instead: what every epoch
 * after the first costs in training.
 */
public final class DataBench {
    /** Where the resized images come from. */
    public enum CacheMode {
        /** Decoded and resized every pass. */
        NONE,
        /** A warm cache held in memory. */
        MEMORY,
        /** A warm cache on disk only (memory budget 0), opened anew after it was filled: a later run's view. */
        DISK
    }

    private DataBench() {
    }

    /**
     * Measures passes over the images under {@code dir}.
     *
     * @param dir folder searched recursively for .png files
     * @param maxImages use at most this many (the first ones in path order)
     * @param threads worker threads
     * @param warmup untimed passes
     * @param passes timed passes
     * @return the result; its "batch" is 1 and its iterations are passes
     * @throws DataException when the folder holds no PNG
     */
    public static BenchResult run(Path dir, int maxImages, int threads, int warmup, int passes) {
        return run(dir, maxImages, threads, warmup, passes, CacheMode.NONE);
    }

    /** As {@link #run(Path, int, int, int, int)}, the resized images coming from where {@code cache} says. */
    public static BenchResult run(Path dir, int maxImages, int threads, int warmup, int passes, CacheMode cache) {
        List<Path> files = pngs(dir, maxImages);
        Preprocessing preprocessing = Preprocessing.DEFAULT;
        Path cacheDir = null;
        ResizedImageCache warm = null;
        try {
            if (cache != CacheMode.NONE) {
                cacheDir = Files.createTempDirectory("bonexray-bench-cache");
                long budget = cache == CacheMode.MEMORY ? Long.MAX_VALUE : 0;
                warm = ResizedImageCache.open(cacheDir, preprocessing, files, budget);
                for (int i = 0; i < files.size(); i++) {
                    warm.get(i); // the first epoch: decode, resize, store
                }
                if (cache == CacheMode.DISK) {
                    warm.close();
                    warm = ResizedImageCache.open(cacheDir, preprocessing, files, budget);
                }
            }
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < warmup + passes; i++) {
                double rate = warm == null
                        ? PreprocessingThroughput.imagesPerSecond(files, preprocessing, RandomAugmentation.MURA, threads, 1)
                        : PreprocessingThroughput.imagesPerSecond(files.size(), warm::get, preprocessing,
                                RandomAugmentation.MURA, threads, 1);
                if (i >= warmup) {
                    seconds.add(files.size() / rate);
                }
            }
            Timings timings = new Timings(seconds);
            String source = switch (cache) {
                case NONE -> "png-decode+resize";
                case MEMORY -> "cache-in-memory";
                case DISK -> "cache-on-disk";
            };
            String description = String.format(Locale.ROOT, "%s+augment+normalise(%d images)", source, files.size());
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("images", files.size());
            details.put("image_cache", cache.name().toLowerCase(Locale.ROOT));
            if (warm != null) {
                details.put("cache_decodes_after_fill", warm.stats().decodes() - (cache == CacheMode.DISK ? 0 : files.size()));
            }
            return new BenchResult("data", description, preprocessing.size(), 1, "-", "-", threads, warmup, timings,
                    timings.imagesPerSecond(files.size()), ProcessMemory.now(), details);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (warm != null) {
                warm.close();
            }
            deleteQuietly(cacheDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir != null) {
            try {
                AtomicFiles.deleteRecursively(dir);
            } catch (IOException e) {
                System.err.println("bonexray: cannot remove " + dir + ": " + e.getMessage());
            }
        }
    }

    static List<Path> pngs(Path dir, int maxImages) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "not a folder: generate one with `bonexray sample-data --out DIR`");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                    .sorted().limit(maxImages).toList();
            if (files.isEmpty()) {
                throw new DataException(dir, "no .png images under this folder");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
