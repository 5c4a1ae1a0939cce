package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions link one heatmap overlay per view, served from memory at the view's size, behind the token. */
class HeatmapEndpointTest {
    @TempDir
    Path tmp;

    @Test
    void eachViewLinksItsOverlay() throws Exception {
        try (BonexrayServer server = ServeFixtures.serve(ServeFixtures.tinyModel(tmp.resolve("model")),
                ServeConfig.builder().port(0).token("t0ken").heatmaps("auto", "norm5").build())) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> r = ServeFixtures.send(ServeFixtures.multipart(URI.create(base + BonexrayServer.STUDIES),
                    List.of(new ServeFixtures.Part("a.png", ServeFixtures.png(90, 60, 1)),
                            new ServeFixtures.Part("b.png", ServeFixtures.png(50, 70, 2))), Map.of())
                    .header("Authorization", "Bearer t0ken").build());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode images = Json.MAPPER.readTree(r.body()).get("images");
            String first = images.get(0).get("heatmap").asText();
            String second = images.get(1).get("heatmap").asText();
            assertTrue(first.matches("/api/v1/heatmaps/[0-9a-f]{32}\\.png"), first);
            assertNotEquals(first, second);
            assertSize(fetch(base + first, "t0ken"), 90, 60);
            assertSize(fetch(base + second, "t0ken"), 50, 70);
            HttpResponse<byte[]> anonymous = ServeFixtures.HTTP.send(HttpRequest.newBuilder(URI.create(base + first)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(401, anonymous.statusCode());
            HttpResponse<byte[]> traversal = ServeFixtures.HTTP.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/heatmaps/..%2F..%2Fetc%2Fpasswd.png")).header("Authorization", "Bearer t0ken").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(404, traversal.statusCode());
        }
    }

    private static HttpResponse<byte[]> fetch(String url, String token) throws Exception {
        return ServeFixtures.HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertSize(HttpResponse<byte[]> r, int width, int height) throws Exception {
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(img);
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
    }
}
