package org.bonexray.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files, read once from the classpath ({@code org/bonexray/serve/static/}) and served from
 * memory: a fixed list, so no request path ever reaches a file system or a classpath lookup.
 */
final class StaticAssets {
    static final String ROOT = "/org/bonexray/serve/static/";

    /** One asset: its bytes and media type. */
    record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> byPath = new LinkedHashMap<>();

    StaticAssets() {
        add("/", "index.html", "text/html; charset=utf-8");
        add("/app.css", "app.css", "text/css; charset=utf-8");
        add("/app.js", "app.js", "text/javascript; charset=utf-8");
        add("/openapi.json", "openapi.json", "application/json");
        add("/selftest.png", "selftest.png", "image/png");
    }

    private void add(String path, String file, String type) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + ROOT + file);
            }
            byPath.put(path, new Asset(in.readAllBytes(), type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Iterable<String> paths() {
        return byPath.keySet();
    }

    Optional<Asset> get(String path) {
        return Optional.ofNullable(byPath.get(path));
    }
}
