package org.bonexray.serve;

import io.javalin.http.Context;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bonexray.data.DataException;
import org.bonexray.io.Json;

/**
 * {@code POST /admin/reload}: loads the model folder again and swaps the new model in once it passed its self-check;
 * requests in flight finish on the old one. Needs the admin token; off (403) when the service has none.
 */
final class AdminEndpoint {
    private static final long WAIT_MINUTES = 10;
    private final BearerToken token;
    private final ModelLoader loader;

    AdminEndpoint(String adminToken, ModelLoader loader) {
        this.token = adminToken == null ? null : new BearerToken(adminToken);
        this.loader = loader;
    }

    void reload(Context ctx) throws InterruptedException {
        if (token == null) {
            throw new ApiException(403, "admin_disabled", "the admin endpoints are off; start the service with --admin-token");
        }
        if (!token.matches(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "a valid admin bearer token is required");
        }
        ModelLoader.Loaded loaded;
        try {
            loaded = loader.load("admin").get(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new ApiException(504, "reload_timeout", "the model did not load within " + WAIT_MINUTES + " minutes");
        } catch (ExecutionException e) {
            throw refusal(e.getCause());
        }
        Responses.json(ctx, 200, Json.MAPPER.createObjectNode().put("status", "reloaded")
                .put("model_id", loaded.modelId()).put("previous_model_id", loaded.previousId()));
    }

    /** Why the load failed, as the answer: the old model keeps serving either way. */
    private static ApiException refusal(Throwable cause) {
        if (cause instanceof ApiException a) {
            return a;
        }
        String reason = "the model was not reloaded (the previous one keeps serving): " + cause.getMessage();
        boolean badModel = cause instanceof DataException || cause instanceof IllegalArgumentException;
        return new ApiException(badModel ? 422 : 500, "reload_failed", reason);
    }
}
