package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional bearer token guards the API; the page and health stay public. */
class TokenTest {
    @TempDir
    Path tmp;

    @Test
    void apiNeedsTheToken() throws Exception {
        try (BonexrayServer server = ServeFixtures.serve(ServeFixtures.tinyModel(tmp.resolve("model")),
                ServeConfig.builder().port(0).token("s3cret-token").heatmaps("none", "norm5").build())) {
            String base = "http://127.0.0.1:" + server.port();
            List<ServeFixtures.Part> parts = List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(40, 40, 1)));
            URI studies = URI.create(base + BonexrayServer.STUDIES);
            HttpResponse<String> none = ServeFixtures.send(ServeFixtures.multipart(studies, parts, Map.of()).build());
            assertEquals(401, none.statusCode());
            assertEquals("unauthorized", Json.MAPPER.readTree(none.body()).get("error").get("code").asText());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
            HttpResponse<String> wrong = ServeFixtures.send(ServeFixtures.multipart(studies, parts, Map.of())
                    .header("Authorization", "Bearer s3cret-tokeN").build());
            assertEquals(401, wrong.statusCode());
            assertEquals(401, ServeFixtures.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/model")).build()).statusCode());
            HttpResponse<String> right = ServeFixtures.send(ServeFixtures.multipart(studies, parts, Map.of())
                    .header("Authorization", "Bearer s3cret-token").build());
            assertEquals(200, right.statusCode(), right.body());
            assertEquals(200, ServeFixtures.send(HttpRequest.newBuilder(URI.create(base + "/health")).build()).statusCode());
            assertTrue(ServeFixtures.send(HttpRequest.newBuilder(URI.create(base + "/")).build()).body().contains("bonexray"));
        }
    }

    @Test
    void tokenComparison() {
        BearerToken t = new BearerToken("abc");
        assertTrue(t.matches("Bearer abc"));
        assertTrue(t.matches("bearer abc"));
        assertFalse(t.matches("Bearer abcd"));
        assertFalse(t.matches("abc"));
        assertFalse(t.matches(null));
        assertFalse(t.matches("Bearer "));
    }
}
