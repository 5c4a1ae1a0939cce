package org.bonexray.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Iterates one pass of a {@link RadiographDataset}, keeping {@code prefetch} batches in preparation on a
 * pool of worker threads. Workers only fill Java arrays; NDArrays are made on the consumer's thread.
 * The pool's threads are daemons and stop when the pass ends.
 */
final class PrefetchingIterator implements Iterator<Batch> {
    private final RadiographDataset dataset;
    private final NDManager manager;
    private final List<int[]> batches;
    private final int epoch;
    private final ExecutorService pool;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private int nextToSubmit;
    private int delivered;
    private Batch ready;

    /** A batch being prepared: its pixel buffer and one future per image (true when the image loaded). */
    private record Pending(int[] indices, float[] pixels, List<CompletableFuture<Boolean>> images) {
    }

    PrefetchingIterator(RadiographDataset dataset, NDManager manager, List<int[]> batches, int epoch) {
        this.dataset = dataset;
        this.manager = manager;
        this.batches = batches;
        this.epoch = epoch;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(dataset.threads(), r -> {
            Thread t = new Thread(r, "bonexray-decode-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    @Override
    public boolean hasNext() {
        while (ready == null && !pending.isEmpty()) {
            ready = take(pending.removeFirst());
            fill();
        }
        if (ready == null && !pool.isShutdown()) {
            pool.shutdownNow();
            dataset.passEnded();
        }
        return ready != null;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Batch b = ready;
        ready = null;
        return b;
    }

    private void fill() {
        while (pending.size() < dataset.prefetch() && nextToSubmit < batches.size()) {
            pending.addLast(submit(batches.get(nextToSubmit++)));
        }
    }

    private Pending submit(int[] indices) {
        int stride = 3 * dataset.preprocessing().size() * dataset.preprocessing().size();
        float[] pixels = new float[indices.length * stride];
        List<CompletableFuture<Boolean>> futures = new java.util.ArrayList<>(indices.length);
        for (int i = 0; i < indices.length; i++) {
            int slot = i;
            futures.add(CompletableFuture.supplyAsync(() -> loadOrSkip(indices[slot], pixels, slot * stride), pool));
        }
        return new Pending(indices, pixels, futures);
    }

    private boolean loadOrSkip(int index, float[] pixels, int offset) {
        try {
            dataset.load(index, epoch, pixels, offset);
            return true;
        } catch (DataException e) {
            if (dataset.badImagePolicy() == BadImagePolicy.FAIL) {
                throw e;
            }
            dataset.skipped().add(dataset.items().get(index).image(), e.getMessage());
            return false;
        }
    }

    /** Waits for a batch and packs it, leaving out skipped images; null when every image was skipped. */
    private Batch take(Pending p) {
        boolean[] ok = new boolean[p.indices().length];
        try {
            for (int i = 0; i < ok.length; i++) {
                ok[i] = p.images().get(i).join();
            }
        } catch (CompletionException e) {
            pool.shutdownNow();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        delivered++;
        int kept = 0;
        int stride = p.pixels().length / Math.max(1, ok.length);
        int[] indices = new int[ok.length];
        for (int i = 0; i < ok.length; i++) {
            if (ok[i]) {
                if (kept != i) {
                    System.arraycopy(p.pixels(), i * stride, p.pixels(), kept * stride, stride);
                }
                indices[kept++] = p.indices()[i];
            }
        }
        if (kept == 0) {
            return null;
        }
        return dataset.toBatch(manager, p.pixels(), java.util.Arrays.copyOf(indices, kept), delivered, batches.size());
    }
}
