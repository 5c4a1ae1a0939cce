package org.bonexray.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bonexray.data.image.GrayImage;
import org.bonexray.explain.Heatmap;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.predict.ViewScores;

/**
 * The queue in front of the network and the threads that drain it: each batcher thread takes the oldest waiting
 * study, gathers more (whole studies, up to the largest batch in views, waiting at most the batching delay), runs
 * all their views through the network in one pass ({@link StudyPredictor#probabilities(float[], int)}, and the
 * heatmaps in one more), and completes each study with its own result. Only these threads run the network.
 *
 * <p>A study is refused at submission when the views ahead of it, at the measured service time per view, cannot
 * finish before its deadline; one whose deadline passes while it waits, or whose client gave up, is dropped
 * unpredicted.
 */
final class StudyBatcher implements AutoCloseable {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * A study's outcome.
     *
     * @param result the study's result
     * @param heatmaps one heatmap per view (null entries for failures), or null without heatmaps
     * @param modelId the model that predicted it
     * @param batchViews views in the forward pass it shared
     */
    record Outcome(StudyPredictor.StudyResult result, List<Heatmap> heatmaps, String modelId, int batchViews) {
    }

    private record Pending(StudyService.Prepared study, long deadline, long enqueued, CompletableFuture<Outcome> future) {
        int views() {
            return study.count();
        }
    }

    private final ServeConfig.Queue config;
    private final ModelSlot models;
    private final ServeMetrics metrics;
    private final ServiceTimes times = new ServiceTimes();
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger queuedViews = new AtomicInteger();
    private final AtomicInteger runningViews = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean draining;
    private volatile boolean stopped;
    private volatile CountDownLatch held;

    StudyBatcher(ServeConfig.Queue config, ModelSlot models, ServeMetrics metrics) {
        this.config = config;
        this.models = models;
        this.metrics = metrics;
        for (int i = 0; i < config.workers(); i++) {
            int worker = i;
            Thread t = new Thread(() -> loop(worker), "bonexray-batcher-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    ServiceTimes times() {
        return times;
    }

    /** @return studies waiting for a batcher */
    int queuedStudies() {
        return queue.size();
    }

    /** @return views waiting for a batcher */
    int queuedViews() {
        return queuedViews.get();
    }

    /** @return whether every batcher thread is alive (the service is live) */
    boolean alive() {
        return threads.stream().allMatch(Thread::isAlive);
    }

    /** @return whole seconds until the work in hand is done, for Retry-After */
    long drainSeconds() {
        return (long) Math.ceil(times.estimateNanos(queuedViews.get() + runningViews.get(), config.workers()) / 1e9);
    }

    /**
     * Queues a study for the next batch.
     *
     * @param study the preprocessed study
     * @param deadline {@link System#nanoTime()} by which it must be answered
     * @return its outcome, completed by a batcher thread (exceptionally with an {@link ApiException} when dropped)
     * @throws ApiException 503 when the service is shutting down or the deadline cannot be met
     */
    CompletableFuture<Outcome> submit(StudyService.Prepared study, long deadline) {
        if (draining) {
            throw new ApiException(503, "shutting_down", "the server is shutting down");
        }
        long now = System.nanoTime();
        int ahead = queuedViews.get() + runningViews.get();
        long estimate = times.estimateNanos(ahead + study.count(), config.workers());
        if (now + estimate > deadline) {
            throw new ApiException(503, "deadline", String.format(java.util.Locale.ROOT,
                    "%d views are ahead of this study; at %.2f s per view it would not be answered within the %d s "
                            + "deadline, retry later", ahead, times.secondsPerView(), config.timeout().toSeconds()))
                    .retryAfter(drainSeconds());
        }
        Pending p = new Pending(study, deadline, now, new CompletableFuture<>());
        queuedViews.addAndGet(study.count());
        queue.addLast(p);
        return p.future();
    }

    /** @return whether new studies are refused (the service is shutting down) */
    boolean draining() {
        return draining;
    }

    /** Refuses new studies from now on; queued ones are still predicted. */
    void drain() {
        draining = true;
    }

    /**
     * Keeps idle batcher threads from starting another batch until the returned hold is closed (queued studies
     * wait): how tests fill the queue deterministically. A batch being gathered when it is called still runs.
     */
    AutoCloseable hold() {
        CountDownLatch latch = new CountDownLatch(1);
        held = latch;
        return () -> {
            held = null;
            latch.countDown();
        };
    }

    private void loop(int worker) {
        while (!stopped) {
            try {
                CountDownLatch latch = held;
                if (latch != null) {
                    latch.await();
                }
                List<Pending> batch = gather();
                if (!batch.isEmpty()) {
                    run(worker, batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                BonexrayServer.LOG.error("batcher error: {}", e.getClass().getName());
            }
        }
    }

    /** The next batch: the oldest live study, then more until the batch is full or the delay is over. */
    private List<Pending> gather() throws InterruptedException {
        Pending polled = queue.pollFirst(POLL_NANOS, TimeUnit.NANOSECONDS);
        if (polled != null && held != null) {
            queue.offerFirst(polled); // held while this thread was waiting for work
            return List.of();
        }
        Pending first = take(polled);
        if (first == null) {
            return List.of();
        }
        List<Pending> batch = new ArrayList<>(List.of(first));
        int views = first.views();
        long until = System.nanoTime() + config.maxDelay().toNanos();
        while (views < config.maxBatch()) {
            long wait = until - System.nanoTime();
            Pending next = wait > 0 ? queue.pollFirst(wait, TimeUnit.NANOSECONDS) : queue.pollFirst();
            if (next == null) {
                break;
            }
            if (views + next.views() > config.maxBatch()) {
                queue.offerFirst(next); // whole studies only: it leads the next batch
                break;
            }
            if (take(next) != null) {
                batch.add(next);
                views += next.views();
            }
        }
        runningViews.addAndGet(views);
        return batch;
    }

    /** Accounts for a study leaving the queue; returns it if it is still wanted, null if dropped. */
    private Pending take(Pending p) {
        if (p == null) {
            return null;
        }
        queuedViews.addAndGet(-p.views());
        long now = System.nanoTime();
        metrics.stage(ServeMetrics.Stage.QUEUE, now - p.enqueued());
        if (p.future().isDone()) {
            return null; // the client gave up or its request timed out
        }
        if (now >= p.deadline()) {
            p.future().completeExceptionally(timedOut());
            return null;
        }
        return p;
    }

    static ApiException timedOut() {
        return new ApiException(504, "timeout", "the study was not predicted before its deadline");
    }

    private void run(int worker, List<Pending> batch) {
        int views = batch.stream().mapToInt(Pending::views).sum();
        Optional<ServedModel> held = models.acquire();
        try {
            if (held.isEmpty()) {
                throw new ApiException(503, "model_loading", "no model is loaded yet");
            }
            runOn(held.get(), worker, batch, views);
        } catch (RuntimeException e) {
            if (!(e instanceof ApiException)) {
                BonexrayServer.LOG.error("batch of {} views failed: {}", views, e.getClass().getName());
            }
            batch.forEach(p -> p.future().completeExceptionally(e));
        } finally {
            held.ifPresent(ServedModel::release);
            runningViews.addAndGet(-views);
        }
    }

    private void runOn(ServedModel model, int worker, List<Pending> batch, int views) {
        long start = System.nanoTime();
        int per = model.preprocessing().floatsPerImage();
        float[] pixels = new float[views * per];
        List<GrayImage> images = new ArrayList<>(views);
        int at = 0;
        for (Pending p : batch) {
            System.arraycopy(p.study().pixels(), 0, pixels, at, p.study().pixels().length);
            at += p.study().pixels().length;
            if (p.study().images() != null) {
                images.addAll(p.study().images());
            }
        }
        StudyPredictor predictor = model.predictor(worker);
        ViewScores scores = predictor.scores(pixels, views);
        long forwardDone = System.nanoTime();
        metrics.stage(ServeMetrics.Stage.FORWARD, forwardDone - start);
        List<Heatmap> heatmaps = images.size() == views ? model.renderer().heatmaps(model.model(), images, pixels) : null;
        long end = System.nanoTime();
        if (images.size() == views) {
            metrics.stage(ServeMetrics.Stage.HEATMAP, end - forwardDone);
        }
        times.record(end - start, views);
        metrics.batch(views);
        int next = 0;
        for (Pending p : batch) {
            int n = p.views();
            StudyPredictor.StudyResult result = predictor.result("upload", p.study().bodyPart(), p.study().views(),
                    scores.slice(next, next + n));
            List<Heatmap> own = heatmaps == null ? null : heatmaps.subList(next, next + n);
            p.future().complete(new Outcome(result, own, model.id(), views));
            next += n;
        }
    }

    /**
     * Stops the batcher threads once the queue is empty and the batches running have finished, waiting at most
     * {@code waitMillis}; whatever is still queued then is answered 503.
     */
    void stop(long waitMillis) {
        draining = true;
        long until = System.currentTimeMillis() + waitMillis;
        try {
            while ((!queue.isEmpty() || runningViews.get() > 0) && System.currentTimeMillis() < until) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        draining = true;
        stopped = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Pending p;
        while ((p = queue.pollFirst()) != null) {
            p.future().completeExceptionally(new ApiException(503, "shutting_down", "the server is shutting down"));
        }
    }
}
