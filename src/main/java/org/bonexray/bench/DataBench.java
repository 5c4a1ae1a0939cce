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
import org.bonexray.data.image.PreprocessingThroughput;
import org.bonexray.data.image.RandomAugmentation;

/**
 * Times the input side over a folder of PNGs: decode, resize, MURA's random flip and rotation, normalise into a
 * CHW float buffer, on a given number of threads. Each timed pass goes over every image once.
 */
public final class DataBench {
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
        List<Path> files = pngs(dir, maxImages);
        Preprocessing preprocessing = Preprocessing.DEFAULT;
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < warmup + passes; i++) {
            double rate = PreprocessingThroughput.imagesPerSecond(files, preprocessing, RandomAugmentation.MURA, threads, 1);
            if (i >= warmup) {
                seconds.add(files.size() / rate);
            }
        }
        Timings timings = new Timings(seconds);
        String description = String.format(Locale.ROOT, "png-decode+resize+augment+normalise(%d images)", files.size());
        return new BenchResult("data", description, preprocessing.size(), 1, "-", "-", threads, warmup, timings,
                timings.imagesPerSecond(files.size()), ProcessMemory.now(), Map.of("images", files.size()));
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
