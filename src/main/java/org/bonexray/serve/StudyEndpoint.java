package org.bonexray.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.serve.ServeMetrics.Stage;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * {@code POST /api/v1/studies} on a request thread: admission before the body is read (queue place and bytes),
 * then receive, decode and preprocess here, hand the study to the {@link StudyBatcher} and wait for its outcome up
 * to the deadline (checking meanwhile that the client is still there), then render the answer.
 */
final class StudyEndpoint {
    /** How often a waiting request checks that its client is still connected. */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ServeConfig config;
    private final Admission admission;
    private final StudyBatcher batcher;
    private final ModelSlot models;
    private final StudyService service;
    private final ServeMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();

    StudyEndpoint(ServeConfig config, Admission admission, StudyBatcher batcher, ModelSlot models,
                  StudyService service, ServeMetrics metrics) {
        this.config = config;
        this.admission = admission;
        this.batcher = batcher;
        this.models = models;
        this.service = service;
        this.metrics = metrics;
    }

    /** @return study requests being handled now */
    int inFlight() {
        return inFlight.get();
    }

    void handle(Context ctx, long arrived, boolean draining) throws InterruptedException {
        inFlight.incrementAndGet();
        try {
            if (draining) {
                throw new ApiException(503, "shutting_down", "the server is shutting down");
            }
            ServedModel model = models.peek().orElseThrow(() -> new ApiException(503, "model_loading",
                    "the model is still loading, retry shortly").retryAfter(5));
            try (Admission.Ticket ticket = admission.admit(ctx.req().getContentLengthLong(), batcher.drainSeconds())) {
                predict(ctx, arrived, ticket, model.preprocessing(), model.renderer() != HeatmapRenderer.NONE);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void predict(Context ctx, long arrived, Admission.Ticket ticket, Preprocessing preprocessing,
                         boolean heatmaps) throws InterruptedException {
        long t0 = System.nanoTime();
        StudyUpload upload = StudyUpload.read(ctx, config.limits());
        ctx.attribute(AccessLog.IMAGES, upload.views().size());
        long t1 = System.nanoTime();
        metrics.stage(Stage.RECEIVE, t1 - t0);
        StudyService.Decoded decoded = service.decode(upload);
        long t2 = System.nanoTime();
        metrics.stage(Stage.DECODE, t2 - t1);
        long kept = 4L * preprocessing.floatsPerImage() * decoded.images().size() + (heatmaps ? decoded.bytes() : 0);
        if (!ticket.reserve(kept)) {
            throw Admission.memoryFull(batcher.drainSeconds());
        }
        StudyService.Prepared prepared = StudyService.prepare(decoded, preprocessing, heatmaps);
        long t3 = System.nanoTime();
        metrics.stage(Stage.PREPROCESS, t3 - t2);
        long deadline = arrived + config.queue().timeout().toNanos();
        StudyBatcher.Outcome outcome = await(ctx, batcher.submit(prepared, deadline), deadline);
        long t4 = System.nanoTime();
        ObjectNode answer = service.answer(prepared, outcome);
        metrics.stage(Stage.RENDER, System.nanoTime() - t4);
        ctx.attribute(AccessLog.BATCH, outcome.batchViews());
        ctx.attribute(AccessLog.MODEL, outcome.modelId());
        Responses.json(ctx, 200, answer);
        metrics.study(System.nanoTime() - arrived);
    }

    /** Waits for the outcome until the deadline; gives up early when the client has gone. */
    private StudyBatcher.Outcome await(Context ctx, CompletableFuture<StudyBatcher.Outcome> outcome, long deadline)
            throws InterruptedException {
        EndPoint client = Request.getBaseRequest(ctx.req()).getHttpChannel().getEndPoint();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 && outcome.cancel(false)) {
                throw StudyBatcher.timedOut();
            }
            try {
                return outcome.get(Math.max(0, Math.min(left, CHECK_NANOS)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!client.isOpen() && outcome.cancel(false)) {
                    throw new ApiException(499, "client_closed", "the client closed the connection");
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("prediction failed", e.getCause());
            } catch (InterruptedException e) {
                outcome.cancel(false);
                throw e;
            }
        }
    }
}
