package org.bonexray.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.predict.StudyPredictor;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bonexray web service: the HTTP API, the page and their safety rules, around one loaded model and a
 * bounded pool of predictors. {@link #close()} shuts down gracefully: it stops accepting connections,
 * lets the requests in flight finish, then closes the predictors (the caller closes the model).
 */
public final class BonexrayServer implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger(BonexrayServer.class);
    static final String STUDIES = "/api/v1/studies";
    private static final long DRAIN_MILLIS = 30_000;
    /** Memory budget of the heatmap overlays kept for clients to fetch. */
    static final long HEATMAP_BYTES = 128 * ServeConfig.MB;

    private final ServeConfig config;
    private final LoadedModel model;
    private final PredictorPool pool;
    private final HeatmapStore heatmaps;
    private final StudyService service;
    private final String modelId;
    private final ObjectNode modelCard;
    private final BearerToken token;
    private final Semaphore uploads;
    private final ExecutorService inference;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Path uploadDir;
    private final Javalin app;
    private volatile boolean draining;
    private boolean closed;

    private BonexrayServer(LoadedModel model, ServeConfig config, HeatmapRenderer renderer) throws IOException {
        this.config = config;
        this.model = model;
        this.modelId = ModelCard.id(model.dir());
        this.modelCard = ModelCard.of(model, modelId);
        this.heatmaps = new HeatmapStore(config.heatmapCapacity(), HEATMAP_BYTES, config.heatmapTtl(), Clock.systemUTC());
        this.service = new StudyService(model, modelId, config, renderer, heatmaps);
        this.token = config.token() == null ? null : new BearerToken(config.token());
        // uploads being read and decoded at once: enough to keep every predictor busy, few enough to bound memory
        this.uploads = new Semaphore(2 * config.workers() + 2);
        this.uploadDir = Files.createTempDirectory("bonexray-serve-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.pool = new PredictorPool(model, config.workers(), config.precision(), config.aggregation());
        // the engine keeps native per-thread state (thread pools, allocator arenas) for every thread that
        // calls it; a fixed set of threads, one per predictor, keeps that bounded under load
        AtomicInteger threadCount = new AtomicInteger();
        this.inference = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "bonexray-inference-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = 64 * 1024;
            // the in-memory threshold equals the per-file limit, so Jetty never spills an upload to disk;
            // the private directory is only the declared location it requires, and is deleted on close
            cfg.jetty.multipartConfig.cacheDirectory(uploadDir.toString());
            cfg.jetty.multipartConfig.maxFileSize(config.maxFileBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize((int) config.maxFileBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(config.maxTotalBytes(), SizeUnit.BYTES);
            // Jetty's per-connection header cache matches values case-insensitively by default, so a
            // bearer token differing only in case from one seen before would be read as that one
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            cfg.requestLogger.http(AccessLog::log);
        });
        routes(new StaticAssets());
    }

    /**
     * Starts a server on a loaded model (which must outlive it) and returns once it listens.
     *
     * @param renderer makes heatmap overlays; {@link HeatmapRenderer#NONE} for none
     */
    public static BonexrayServer start(LoadedModel model, ServeConfig config, HeatmapRenderer renderer) {
        BonexrayServer server;
        try {
            server = new BonexrayServer(model, config, renderer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private upload directory", e);
        }
        try {
            server.app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** The address clients use. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port() + "/";
    }

    PredictorPool pool() {
        return pool;
    }

    int inFlight() {
        return inFlight.get();
    }

    Path uploadDir() {
        return uploadDir;
    }

    private void routes(StaticAssets assets) {
        for (String path : assets.paths()) {
            StaticAssets.Asset a = assets.get(path).orElseThrow();
            app.get(path, ctx -> ctx.contentType(a.contentType()).result(a.bytes()));
        }
        app.before(ctx -> securityHeaders(ctx));
        app.before("/api/*", this::authorize);
        app.get("/health", ctx -> json(ctx, 200, Json.MAPPER.createObjectNode().put("status", draining ? "draining" : "ok")
                .put("model_id", modelId).put("workers", pool.size()).put("idle_workers", pool.available())));
        app.get("/api/v1/model", ctx -> json(ctx, 200, modelCard));
        app.post(STUDIES, this::predictStudy);
        app.get(StudyService.HEATMAP_PATH + "{file}", this::heatmap);
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> javalinError(ctx, e.getStatus()));
        app.exception(Exception.class, (e, ctx) -> {
            // class name only: exception messages may carry names a client sent
            LOG.error("request failed: {}", e.getClass().getName());
            error(ctx, 500, "internal", "internal error");
        });
        app.error(404, ctx -> errorUnlessWritten(ctx));
        app.error(405, ctx -> errorUnlessWritten(ctx));
    }

    private void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private void authorize(Context ctx) {
        if (token != null && !token.matches(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "a valid bearer token is required");
        }
    }

    private void predictStudy(Context ctx) throws InterruptedException {
        inFlight.incrementAndGet();
        try {
            if (draining) {
                throw busy("the server is shutting down");
            }
            if (!uploads.tryAcquire(config.acquireWait().toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy("too many uploads in progress, retry shortly");
            }
            try {
                StudyUpload upload = StudyUpload.read(ctx, config);
                ctx.attribute(AccessLog.IMAGES, upload.views().size());
                List<StudyPredictor.View> views = service.decode(upload);
                Optional<PredictorPool.Lease> lease = pool.acquire(config.acquireWait());
                if (lease.isEmpty()) {
                    throw busy("all workers are busy, retry shortly");
                }
                try (PredictorPool.Lease l = lease.get()) {
                    json(ctx, 200, onInferenceThread(() -> service.predict(l.predictor(), upload, views)));
                }
            } finally {
                uploads.release();
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Runs inference on the fixed inference threads; a free one always exists while a lease is held. */
    private ObjectNode onInferenceThread(Callable<ObjectNode> work) throws InterruptedException {
        try {
            return inference.submit(work).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("inference failed", e.getCause());
        }
    }

    private static ApiException busy(String message) {
        return new ApiException(503, "busy", message);
    }

    private void heatmap(Context ctx) {
        String file = ctx.pathParam("file");
        Optional<byte[]> png = file.matches("[0-9a-f]{32}\\.png")
                ? heatmaps.get(file.substring(0, 32)) : Optional.empty();
        if (png.isEmpty()) {
            throw new ApiException(404, "heatmap_not_found", "no such heatmap (they expire after a while)");
        }
        ctx.contentType("image/png").result(png.get());
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    private static void error(Context ctx, int status, String code, String message) {
        if (status == 503) {
            ctx.header("Retry-After", "1");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        ctx.attribute("bonexray.error", Boolean.TRUE);
        json(ctx, status, body);
    }

    /** Javalin's own refusals, with fixed messages (its messages echo the request path). */
    private static void javalinError(Context ctx, int status) {
        switch (status) {
            case 404 -> error(ctx, 404, "not_found", "no such resource");
            case 405 -> error(ctx, 405, "method_not_allowed", "method not allowed here");
            case 413 -> error(ctx, 413, "request_too_large", "the request body is too large");
            default -> error(ctx, status, "http_" + status, status >= 500 ? "internal error" : "request refused");
        }
    }

    private static void errorUnlessWritten(Context ctx) {
        if (ctx.attribute("bonexray.error") == null) {
            javalinError(ctx, ctx.statusCode());
        }
    }

    /** Stops accepting, waits for the requests in flight (up to 30 s), stops Jetty, closes the predictors. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        try {
            for (Connector c : app.jettyServer().server().getConnectors()) {
                if (c instanceof NetworkConnector nc) {
                    nc.close(); // no new connections; open ones finish their requests
                }
            }
            long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
            while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("draining failed: {}", e.getClass().getName());
        } finally {
            app.stop();
            inference.shutdown();
            pool.close();
            deleteUploadDir();
        }
    }

    private void deleteUploadDir() {
        try (var files = Files.walk(uploadDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete the upload directory");
        }
    }
}
