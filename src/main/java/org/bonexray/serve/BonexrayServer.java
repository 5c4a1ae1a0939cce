package org.bonexray.serve;

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
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.bonexray.io.Json;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bonexray web service: the HTTP API, the page and their safety rules, around a model folder that it loads (and
 * reloads) itself, a bounded queue and the batcher that runs the network. It listens before the model has loaded
 * ({@code /health/ready} says when it has). {@link #close()} shuts down gracefully: new studies are refused, the ones
 * admitted finish, then the batcher and the model close.
 */
public final class BonexrayServer implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger(BonexrayServer.class);
    static final String STUDIES = "/api/v1/studies";
    static final String RELOAD = "/admin/reload";
    /** Memory budget of the heatmap overlays kept for clients to fetch. */
    static final long HEATMAP_BYTES = 128 * ServeConfig.MB;
    private static final String ARRIVED = "bonexray.arrived";

    private final ServeConfig config;
    private final ServeMetrics metrics = new ServeMetrics();
    private final ModelSlot models = new ModelSlot();
    private final ModelLoader loader;
    private final Future<ModelLoader.Loaded> firstLoad;
    private final ModelWatcher watcher;
    private final Admission admission;
    private final StudyBatcher batcher;
    private final HeatmapStore heatmaps;
    private final StudyEndpoint studies;
    private final AdminEndpoint admin;
    private final BearerToken token;
    private final AccessLog accessLog;
    private final Path uploadDir;
    private final Javalin app;
    private static final long GRACEFUL_STOP_MILLIS = 5_000;
    private volatile boolean draining;
    private boolean closed;

    private BonexrayServer(Path modelDir, ServeConfig config, Consumer<String> accessLines) throws IOException {
        this.uploadDir = Files.createTempDirectory("bonexray-serve-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.config = config;
        this.loader = new ModelLoader(modelDir, config, models, metrics);
        this.heatmaps = new HeatmapStore(config.heatmapCapacity(), HEATMAP_BYTES, config.heatmapTtl(), Clock.systemUTC());
        this.admission = new Admission(config.queue().depth(), config.queue().bytes(), config.limits().maxTotalBytes());
        this.batcher = new StudyBatcher(config.queue(), models, metrics);
        this.studies = new StudyEndpoint(config, admission, batcher, models, new StudyService(config, heatmaps), metrics);
        this.admin = new AdminEndpoint(config.adminToken(), loader);
        this.token = config.token() == null ? null : new BearerToken(config.token());
        this.accessLog = new AccessLog(accessLines);
        registerGauges();
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = 64 * 1024;
            // the in-memory threshold equals the per-file limit, so Jetty never spills an upload to disk;
            // the private directory is only the declared location it requires, and is deleted on close
            cfg.jetty.multipartConfig.cacheDirectory(uploadDir.toString());
            cfg.jetty.multipartConfig.maxFileSize(config.limits().maxFileBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize((int) config.limits().maxFileBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(config.limits().maxTotalBytes(), SizeUnit.BYTES);
            // every admitted study holds a request thread while it waits; refusals and the page need a few more
            QueuedThreadPool threads = new QueuedThreadPool(config.queue().depth() + 32, 8);
            threads.setName("bonexray-http");
            cfg.jetty.threadPool = threads;
            // Jetty's per-connection header cache matches values case-insensitively by default, so a
            // bearer token differing only in case from one seen before would be read as that one
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setIdleTimeout(config.timeouts().idle().toMillis());
                connector.addBean(new HeaderDeadline(config.timeouts().header(), connector.getScheduler()));
                connector.addBean(new UnreadBodyCutoff(connector.getScheduler()));
                return connector;
            });
            cfg.requestLogger.http(this::logged);
            // close() waits until no study is in flight, but a handler returns before Jetty has written its answer:
            // a graceful stop (Javalin's StatisticsHandler counts requests until their response completes) lets the
            // last answers reach their clients instead of a reset connection
            cfg.jetty.modifyServer(server -> server.setStopTimeout(GRACEFUL_STOP_MILLIS));
        });
        routes(new StaticAssets());
        this.firstLoad = loader.load("start");
        this.watcher = config.watchInterval().isZero() ? null : new ModelWatcher(modelDir, config.watchInterval(), loader);
    }

    /**
     * Starts a server on a model folder and returns once it listens; the model loads meanwhile on a thread of its
     * own ({@link #awaitModel} waits for it).
     *
     * @param modelDir the model folder (a run's {@code model/}), read again by every reload
     * @param config the service's settings
     * @param accessLog receives one JSON line per request
     * @return the running server
     */
    public static BonexrayServer start(Path modelDir, ServeConfig config, Consumer<String> accessLog) {
        BonexrayServer server;
        try {
            server = new BonexrayServer(modelDir, config, accessLog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private upload directory", e);
        }
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Waits for the first model load.
     *
     * @param wait the longest wait
     * @return this server
     * @throws RuntimeException the reason the model could not be served (the server keeps running without one)
     */
    public BonexrayServer awaitModel(Duration wait) throws InterruptedException {
        try {
            firstLoad.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return this;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the model did not load within " + wait.toSeconds() + " s");
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof NetworkConnector nc) {
                return nc.getLocalPort();
            }
        }
        throw new IllegalStateException("not listening");
    }

    /** The address clients use. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port() + "/";
    }

    /** The id of the model serving now, empty before the first load. */
    public Optional<String> modelId() {
        return models.peek().map(ServedModel::id);
    }

    int inFlight() {
        return studies.inFlight();
    }

    Path uploadDir() {
        return uploadDir;
    }

    StudyBatcher batcher() {
        return batcher;
    }

    private void registerGauges() {
        metrics.gauge("bonexray_queue_studies", "Studies waiting for the batcher", batcher::queuedStudies);
        metrics.gauge("bonexray_queue_views", "Views waiting for the batcher", batcher::queuedViews);
        metrics.gauge("bonexray_admitted_studies", "Studies admitted (being received, decoded, queued or predicted)",
                admission::admitted);
        metrics.gauge("bonexray_queue_capacity_studies", "Most studies admitted at once (--queue)", admission::depth);
        metrics.gauge("bonexray_service_seconds_per_view", "Measured batcher time per view (weighted mean; NaN "
                + "before the first batch)", () -> batcher.times().secondsPerView());
        metrics.gauge("bonexray_ready", "1 when the service takes studies (model loaded, queue not full, not draining)",
                () -> ready() == null ? 1 : 0);
    }

    private void routes(StaticAssets assets) {
        for (String path : assets.paths()) {
            StaticAssets.Asset a = assets.get(path).orElseThrow();
            app.get(path, ctx -> ctx.contentType(a.contentType()).result(a.bytes()));
        }
        app.before(this::prepare);
        app.before("/api/*", this::authorize);
        app.get("/health", ctx -> Responses.json(ctx, 200, health()));
        app.get("/health/live", ctx -> Responses.json(ctx, batcher.alive() ? 200 : 503,
                Json.MAPPER.createObjectNode().put("live", batcher.alive())));
        app.get("/health/ready", ctx -> {
            String why = ready();
            Responses.json(ctx, why == null ? 200 : 503, Json.MAPPER.createObjectNode().put("ready", why == null)
                    .put("reason", why));
        });
        app.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        app.get("/api/v1/model", ctx -> Responses.json(ctx, 200, models.peek().orElseThrow(() ->
                new ApiException(503, "model_loading", "the model is still loading")).card()));
        app.post(STUDIES, ctx -> studies.handle(ctx, ctx.attribute(ARRIVED), draining));
        app.get(StudyService.HEATMAP_PATH + "{file}", this::heatmap);
        app.post(RELOAD, admin::reload);
        app.exception(ApiException.class, (e, ctx) -> Responses.error(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> Responses.javalinError(ctx, e.getStatus()));
        app.exception(Exception.class, (e, ctx) -> {
            // class name only: exception messages may carry names a client sent
            LOG.error("request failed: {}", e.getClass().getName());
            Responses.error(ctx, 500, "internal", "internal error", 1);
        });
        app.error(404, Responses::errorUnlessWritten);
        app.error(405, Responses::errorUnlessWritten);
    }

    /** Why the service would not take a study now, or null when it would. */
    private String ready() {
        if (draining) {
            return "shutting down";
        }
        if (models.peek().isEmpty()) {
            return loader.failure() == null ? "the model is loading" : "the model failed to load";
        }
        if (admission.full()) {
            return "the queue is full";
        }
        return batcher.alive() ? null : "a batcher thread has stopped";
    }

    private ObjectNode health() {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("status", draining ? "draining" : models.peek().isEmpty() ? "loading" : "ok");
        h.put("model_id", modelId().orElse(null));
        h.put("queued_studies", batcher.queuedStudies()).put("admitted_studies", admission.admitted())
                .put("queue_depth", admission.depth());
        h.put("last_load_error", loader.failure());
        return h;
    }

    /** Every request: its arrival, its id (echoed), the security headers. */
    private void prepare(Context ctx) {
        ctx.attribute(ARRIVED, System.nanoTime());
        String id = AccessLog.requestId(ctx.header(AccessLog.HEADER));
        ctx.attribute(AccessLog.REQUEST_ID, id);
        ctx.header(AccessLog.HEADER, id);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
        if (ctx.path().startsWith("/api/") || ctx.path().startsWith("/admin/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private void authorize(Context ctx) {
        if (token != null && !token.matches(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "a valid bearer token is required");
        }
    }

    private void logged(Context ctx, Float millis) {
        String route = route(ctx);
        metrics.request(route, ctx.statusCode());
        String code = ctx.attribute(Responses.ERROR_CODE);
        if (route.equals(STUDIES) && code != null && (ctx.statusCode() >= 500 || ctx.statusCode() == 499)) {
            metrics.refused(code);
        }
        accessLog.log(ctx, millis);
    }

    /** The matched route's template (bounded label values), or "unmatched". */
    private static String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.equals("*") ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
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

    /**
     * Refuses new studies, closes the listening socket, waits for the admitted studies (each is bounded by its
     * deadline), then stops Jetty, the batcher, the model watcher and loader, and closes the model.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        batcher.drain();
        try {
            for (Connector c : app.jettyServer().server().getConnectors()) {
                if (c instanceof NetworkConnector nc) {
                    nc.close(); // no new connections; open ones finish their requests
                }
            }
            long deadline = System.nanoTime() + config.queue().timeout().plusSeconds(5).toNanos();
            while (studies.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("draining failed: {}", e.getClass().getName());
        } finally {
            app.stop();
            if (watcher != null) {
                watcher.close();
            }
            loader.close();
            batcher.stop(config.queue().timeout().toMillis());
            models.close();
            deleteUploadDir();
        }
    }

    private void deleteUploadDir() {
        try (var files = Files.walk(uploadDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete the upload directory");
        }
    }
}
