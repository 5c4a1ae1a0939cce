package org.bonexray.serve;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.model.ModelArtifact;

/**
 * Loads the service's model on a thread of its own (the first load and every reload): reads the artifact, checks
 * that it keeps the preprocessing the request threads prepare views with, runs it once on a fixed synthetic image
 * (finite probabilities, a heatmap when heatmaps are on), and only then makes it current. A load that fails leaves
 * the model before it serving and says why; one load runs at a time.
 */
final class ModelLoader implements AutoCloseable {
    /** The self-check's input: a fixed 64 x 64 ramp with a bright square, the same every time. */
    private static final GrayImage SELF_CHECK = selfCheckImage();

    private final Path dir;
    private final ServeConfig config;
    private final ModelSlot slot;
    private final ServeMetrics metrics;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bonexray-model-loader");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Preprocessing preprocessing;
    private volatile String failure;

    /** What a load did: the model now current and the one it replaced (null at the first load). */
    record Loaded(String modelId, String previousId) {
    }

    ModelLoader(Path dir, ServeConfig config, ModelSlot slot, ServeMetrics metrics) {
        this.dir = dir;
        this.config = config;
        this.slot = slot;
        this.metrics = metrics;
    }

    /** The preprocessing every model of this service uses (fixed by the first), empty before it loaded. */
    Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(preprocessing);
    }

    /** Why the last load failed, or null when it succeeded (or none ran yet). */
    String failure() {
        return failure;
    }

    /**
     * Starts loading the model folder again.
     *
     * @param trigger what asked for it ("start", "admin", "watch"), for the log and the metrics
     * @return the outcome; failed with an {@link ApiException} (409) when another load is running, or with the reason
     *     the model was refused
     */
    CompletableFuture<Loaded> load(String trigger) {
        if (!busy.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new ApiException(409, "reload_in_progress",
                    "a model load is already running; try again when it has finished"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Loaded loaded = loadNow();
                failure = null;
                metrics.reloaded(trigger, "ok");
                BonexrayServer.LOG.info("model {} loaded ({}), replacing {}", loaded.modelId(), trigger, loaded.previousId());
                return loaded;
            } catch (RuntimeException e) {
                failure = e.getMessage();
                metrics.reloaded(trigger, "failed");
                BonexrayServer.LOG.warn("model load ({}) failed, the model before it keeps serving: {}", trigger,
                        e.getMessage());
                throw e;
            } finally {
                busy.set(false);
            }
        }, thread);
    }

    private Loaded loadNow() {
        ServedModel next = ServedModel.of(ModelArtifact.load(dir, config.device()), config);
        try {
            Preprocessing required = preprocessing;
            if (required != null && !required.equals(next.preprocessing())) {
                throw new IllegalArgumentException("the new model's preprocessing " + next.preprocessing()
                        + " differs from the served one's " + required + "; restart the service to change it");
            }
            selfCheck(next);
        } catch (RuntimeException e) {
            next.release();
            throw e;
        }
        if (preprocessing == null) {
            preprocessing = next.preprocessing();
        }
        return new Loaded(next.id(), slot.swap(next));
    }

    /** One forward (and heatmap) on the fixed image: the model must give a probability, not NaN or an error. */
    private static void selfCheck(ServedModel m) {
        float[] pixels = m.preprocessing().toChw(SELF_CHECK);
        for (int worker = 0; worker < m.predictorCount(); worker++) {
            double p = m.predictor(worker).probabilities(pixels, 1).get(0);
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("the model failed its self-check: probability " + p
                        + " on the fixed test image");
            }
        }
        if (m.renderer() != HeatmapRenderer.NONE && m.renderer().heatmaps(m.model(), List.of(SELF_CHECK), pixels) == null) {
            throw new IllegalArgumentException("the model failed its self-check: no heatmap on the fixed test image");
        }
    }

    private static GrayImage selfCheckImage() {
        int side = 64;
        float[] px = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                boolean square = x >= 20 && x < 40 && y >= 24 && y < 44;
                px[y * side + x] = square ? 0.95f : (x + y) / (2f * side);
            }
        }
        return new GrayImage(side, side, px);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
