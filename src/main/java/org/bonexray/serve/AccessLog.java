package org.bonexray.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.bonexray.io.Json;

/**
 * One JSON line per request: time, request id, method, path, status, duration, and for studies the image count, the
 * views of the batch it shared and the model that answered. Never headers, query strings, file names or content, so
 * no token, patient data or image reaches the log.
 */
final class AccessLog {
    static final String IMAGES = "bonexray.images";
    static final String BATCH = "bonexray.batch";
    static final String MODEL = "bonexray.model";
    static final String REQUEST_ID = "bonexray.requestId";
    /** The header a client may send its own request id in, and in which every answer carries it. */
    static final String HEADER = "X-Request-Id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Consumer<String> sink;

    /** @param sink receives each line (standard output in the command) */
    AccessLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /**
     * The request's id: the client's {@code X-Request-Id} when it is 1-64 characters of letters, digits and
     * {@code . _ : -}, else a new random one (so a client cannot inject text into the log through it).
     */
    static String requestId(String offered) {
        if (offered != null && WELL_FORMED.matcher(offered).matches()) {
            return offered;
        }
        byte[] bits = new byte[12];
        RANDOM.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    void log(Context ctx, Float millis) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("request_id", (String) ctx.attribute(REQUEST_ID));
        line.put("method", ctx.method().name());
        line.put("path", printable(ctx.path()));
        line.put("status", ctx.statusCode());
        line.put("ms", Math.round(millis * 10) / 10.0);
        Integer images = ctx.attribute(IMAGES);
        if (images != null) {
            line.put("images", images);
        }
        Integer batch = ctx.attribute(BATCH);
        if (batch != null) {
            line.put("batch_views", batch);
        }
        String model = ctx.attribute(MODEL);
        if (model != null) {
            line.put("model_id", model);
        }
        try {
            sink.accept(Json.MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            BonexrayServer.LOG.warn("access log line failed: {}", e.getClass().getName());
        }
    }

    /** The path without control characters and cut to a sane length. */
    static String printable(String path) {
        String p = path.length() > 120 ? path.substring(0, 120) + "..." : path;
        return p.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
