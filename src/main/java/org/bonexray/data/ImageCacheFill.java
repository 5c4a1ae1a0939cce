package org.bonexray.data;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.ResizedImageCache;
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
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bonexray-cache-fill");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> work = missing.stream().<Future<?>>map(i -> pool.submit(() -> {
                if (!StopSignal.current().requested()) {
                    fillOne(cache, i, filled);
                }
                progress.step(1);
            })).toList();
            for (Future<?> f : work) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while filling the image cache", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            cache.save();
        }
        progress.finish();
        StopSignal.checkpoint();
        return filled.get();
    }

    private static void fillOne(ResizedImageCache cache, int index, AtomicInteger filled) {
        try {
            cache.get(index);
            filled.incrementAndGet();
        } catch (BadImageException e) {
            // the epoch that reaches it applies the bad-image policy and names the file
        }
    }
}
