package org.bonexray.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.bonexray.io.Json;

/** Writes the service's answers: JSON bodies, and errors as {@code {"error": {"code", "message"}}}. */
final class Responses {
    /** The request attribute holding an error answer's code (for the metrics). */
    static final String ERROR_CODE = "bonexray.error";

    private Responses() {
    }

    static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    static void error(Context ctx, ApiException e) {
        error(ctx, e.status(), e.code(), e.getMessage(), e.retryAfterSeconds());
    }

    static void error(Context ctx, int status, String code, String message, long retryAfterSeconds) {
        if (status == 503) {
            ctx.header("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        ctx.attribute(ERROR_CODE, code);
        json(ctx, status, body);
    }

    /** Javalin's own refusals, with fixed messages (its messages echo the request path). */
    static void javalinError(Context ctx, int status) {
        switch (status) {
            case 404 -> error(ctx, 404, "not_found", "no such resource", 1);
            case 405 -> error(ctx, 405, "method_not_allowed", "method not allowed here", 1);
            case 413 -> error(ctx, 413, "request_too_large", "the request body is too large", 1);
            default -> error(ctx, status, "http_" + status, status >= 500 ? "internal error" : "request refused", 1);
        }
    }

    /** Fills in Javalin's 404 and 405 answers unless a handler already wrote one. */
    static void errorUnlessWritten(Context ctx) {
        if (ctx.attribute(ERROR_CODE) == null) {
            javalinError(ctx, ctx.statusCode());
        }
    }
}
