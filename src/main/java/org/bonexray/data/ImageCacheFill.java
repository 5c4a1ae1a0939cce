package org.bonexray.data;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.ResizedImageCache;
import org.bonexray.io.ParallelWork;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;

/**
 * Decodes and resizes into a dataset's image cache, before training starts, every image the cache does not hold
 * yet. Left to the first epoch, this work runs beside the network's steps on the same cores: on a small machine
 * the decode threads then take cores from the engine's threads, which wait for each other at every operation, so
 * the first epoch runs slower than its decoding alone explains. Done first, on every data thread, it has the
 * machine to itself, and every epoch runs as the later ones do.
 *
 * <p>A file that cannot be decoded is left out here (nothing is cached for it): the epoch that meets it applies
 * the run's bad-image policy and names it, as without the fill. A stop request (SIGINT, SIGTERM) ends the fill
 * between two images; what was filled stays cached.
 */
final class ImageCacheFill {
    private ImageCacheFill() {
    }

    /**
     * @param cache the cache to fill
     * @param count the number of images it caches
     * @param threads decode threads
     * @param out where progress goes
     * @param label the progress line's label
     * @return the number of images decoded into the cache
     * @throws StopSignal.Stopped when a stop was requested
     */
    static int fill(ResizedImageCache cache, int count, int threads, PrintStream out, String label) {
        if (!cache.keeps()) {
            return 0; // nothing computed now would be kept: the fill would only decode everything twice
        }
        List<Integer> missing = IntStream.range(0, count).filter(i -> !cache.holds(i)).boxed().toList();
        if (missing.isEmpty()) {
            return 0;
        }
        Progress progress = new Progress(out, label, missing.size(), "img");
        AtomicInteger filled = new AtomicInteger();
        try {
            ParallelWork.map(missing, threads, "bonexray-cache-fill", progress, i -> fillOne(cache, i, filled));
        } finally {
            cache.save();
        }
        progress.finish();
        return filled.get();
    }

    private static Void fillOne(ResizedImageCache cache, int index, AtomicInteger filled) {
        try {
            cache.get(index);
            filled.incrementAndGet();
        } catch (BadImageException e) {
            // the epoch that reaches it applies the bad-image policy and names the file
        }
        return null;
    }
}
