package org.bonexray.io;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * One task per item on a fixed pool of daemon threads, with progress and a stop at a safe point: how the commands
 * that decode every image of a tree (the dataset check, the image cache's fill) spread the work over the cores.
 */
public final class ParallelWork {
    private ParallelWork() {
    }

    /**
     * @param items the work, in order
     * @param threads pool size
     * @param name the threads' name
     * @param progress counts finished items, or null
     * @param task the work on one item; a stop request (SIGINT, SIGTERM) skips the items not started yet
     * @return each item's result, in the items' order
     * @throws StopSignal.Stopped when a stop was requested
     * @throws RuntimeException the first failure of a task, as it was thrown
     */
    public static <T, R> List<R> map(List<T> items, int threads, String name, Progress progress, Function<T, R> task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    if (StopSignal.current().requested()) {
                        return null;
                    }
                    R result = task.apply(item);
                    if (progress != null) {
                        progress.step(1);
                    }
                    return result;
                }));
            }
            List<R> results = new ArrayList<>(items.size());
            for (Future<R> f : futures) {
                StopSignal.checkpoint();
                results.add(f.get());
            }
            StopSignal.checkpoint();
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted (" + name + ")", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException(name + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
