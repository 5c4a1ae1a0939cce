package org.bonexray.model.weights;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.bonexray.io.Sha256;

/**
 * Downloads weight files into the user's cache directory, verified by SHA-256.
 *
 * <p>A file is written as {@code NAME.part}, resumed with an HTTP Range request when a {@code .part}
 * exists (or restarted when the server ignores Range), checked against its SHA-256 and only then renamed
 * to {@code NAME}; a file whose checksum differs is deleted and refused. A cached file whose checksum
 * matches is returned without any network access.
 *
 * <p>The cache directory is, in order: the directory given to the constructor, {@code $BONEXRAY_CACHE/weights},
 * or {@code ~/.cache/bonexray/weights}. Offline mode ({@code BONEXRAY_OFFLINE=true}) never touches the network.
 */
public final class WeightsDownloader {
    public static final String CACHE_ENV = "BONEXRAY_CACHE";
    public static final String OFFLINE_ENV = "BONEXRAY_OFFLINE";
    /** Attempts per download; each one after the first resumes from what the last one wrote. */
    static final int MAX_ATTEMPTS = 3;

    private final Path cacheDir;
    private final boolean offline;
    private final HttpTransfer transfer;
    private final HttpClient headClient;
    private final Duration requestTimeout;

    /** A downloader with 30 s to connect, 60 s to receive a response's headers and 60 s between body bytes. */
    public WeightsDownloader(Path cacheDir, boolean offline, PrintStream progressOut) {
        this(cacheDir, offline, progressOut, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /**
     * A downloader with explicit timeouts: to connect, to receive a response's headers, and without any
     * body byte arriving (after which the transfer is dropped and resumed).
     */
    public WeightsDownloader(Path cacheDir, boolean offline, PrintStream progressOut,
                             Duration connectTimeout, Duration requestTimeout, Duration stallTimeout) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath();
        this.offline = offline;
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.transfer = new HttpTransfer(client, requestTimeout, stallTimeout, Objects.requireNonNull(progressOut, "progressOut"));
        // a hub answers a resolve request with a redirect whose own headers carry the file's digest and revision
        this.headClient = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /** A downloader configured from the environment; {@code cacheDirOverride} (may be null) wins over it. */
    public static WeightsDownloader fromEnvironment(Path cacheDirOverride, PrintStream progressOut) {
        Map<String, String> env = System.getenv();
        Path dir = cacheDirOverride != null ? cacheDirOverride : defaultCacheDir(env, Path.of(System.getProperty("user.home")));
        return new WeightsDownloader(dir, isOffline(env), progressOut);
    }

    /** {@code $BONEXRAY_CACHE/weights} when set, else {@code HOME/.cache/bonexray/weights}. */
    public static Path defaultCacheDir(Map<String, String> env, Path home) {
        String root = env.get(CACHE_ENV);
        if (root != null && !root.isBlank()) {
            return Path.of(root).resolve("weights");
        }
        return home.resolve(".cache").resolve("bonexray").resolve("weights");
    }

    /**
     * Whether the environment forbids downloads: {@code BONEXRAY_OFFLINE=true}. {@code DJL_OFFLINE} is not read:
     * it keeps DJL itself from the network (the launcher always sets it), while a weights download is what the
     * user asked for by passing {@code --pretrained imagenet}.
     */
    public static boolean isOffline(Map<String, String> env) {
        return Boolean.parseBoolean(env.getOrDefault(OFFLINE_ENV, "false").strip());
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public boolean offline() {
        return offline;
    }

    /**
     * The headers of a HEAD request for {@code url}, redirects not followed (a redirect's own headers are returned).
     *
     * @throws WeightsException when offline, unreachable, or answered with an error status
     */
    public HttpHeaders head(URI url) {
        if (offline) {
            throw new WeightsException("bonexray is offline (" + OFFLINE_ENV + " is true): cannot ask " + url
                    + " for the file's revision and SHA-256");
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept-Encoding", "identity").build();
        try {
            HttpResponse<Void> response = headClient.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 400) {
                throw new WeightsException("HTTP status " + status + " from " + url);
            }
            return response.headers();
        } catch (IOException e) {
            throw new WeightsException("cannot reach " + url + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeightsException("interrupted while asking " + url + " for the file's SHA-256", e);
        }
    }

    /** Where {@code fileName} lives in the cache (whether or not it is there yet). */
    public Path cachedPath(String fileName) {
        Path name = Path.of(fileName).getFileName();
        if (name == null || !name.toString().equals(fileName)) {
            throw new IllegalArgumentException("a cache file name has no directories: " + fileName);
        }
        return cacheDir.resolve(fileName);
    }

    /**
     * Returns the cached, verified copy of {@code url}, downloading it first when it is not cached.
     *
     * @param sha256 the expected SHA-256 (64 hex digits); nothing unverified is ever returned
     * @throws WeightsException when offline or unreachable with nothing cached, or on a checksum mismatch
     */
    public Path fetch(URI url, String fileName, String sha256) {
        return fetch(url, fileName, ExpectedDigest.full(sha256));
    }

    /**
     * Returns the cached copy of {@code url} whose SHA-256 matches {@code expected}, downloading it first when it is
     * not cached (a cached file that does not match is replaced, or refused when offline).
     *
     * @throws WeightsException when offline or unreachable with nothing cached, or on a checksum mismatch
     */
    public Path fetch(URI url, String fileName, ExpectedDigest expected) {
        Path target = cachedPath(fileName);
        try {
            if (Files.isRegularFile(target)) {
                String actual = Sha256.of(target);
                if (expected.matches(actual)) {
                    return target;
                }
                if (offline) {
                    throw new WeightsException("the cached " + target + " has SHA-256 " + actual + " but "
                            + expected.describe() + " is expected; delete it and " + howToGet(url, target, expected));
                }
                Files.delete(target);
            }
            if (offline) {
                throw new WeightsException("pretrained weights " + fileName + " are not cached and bonexray is offline ("
                        + OFFLINE_ENV + " is true). " + capitalize(howToGet(url, target, expected)));
            }
            download(url, target, expected);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the weights cache " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private void download(URI url, Path target, ExpectedDigest expected) throws IOException {
        Files.createDirectories(cacheDir);
        Path part = partPath(target);
        IOException failure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long before = sizeOf(part);
            try {
                transfer.run(url, part);
                failure = null;
                break;
            } catch (ConnectException | HttpConnectTimeoutException e) {
                throw new WeightsException("cannot reach " + url + " (" + describe(e) + "). "
                        + capitalize(howToGet(url, target, expected)), e);
            } catch (IOException e) {
                failure = e;
                if (sizeOf(part) <= before) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WeightsException("download of " + url + " interrupted; " + part + " is kept for a resume", e);
            }
        }
        if (failure != null) {
            throw new WeightsException("download of " + url + " failed after " + sizeOf(part) + " bytes ("
                    + describe(failure) + "); " + part + " is kept, so running again resumes it. Otherwise "
                    + howToGet(url, target, expected), failure);
        }
        verifyAndMove(url, part, target, expected);
    }

    private static void verifyAndMove(URI url, Path part, Path target, ExpectedDigest expected) throws IOException {
        String actual = Sha256.of(part);
        if (!expected.matches(actual)) {
            long size = Files.size(part);
            Files.deleteIfExists(part);
            String truncated = expected.size() >= 0 && size != expected.size()
                    ? " and " + size + " bytes where the server announced " + expected.size() + " (truncated?)" : "";
            throw new WeightsException("the download of " + url + " has SHA-256 " + actual + truncated + " but "
                    + expected.describe() + " was expected; it was deleted and not used (a changed or corrupted file"
                    + " on the server?)");
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file a download in progress is written to. */
    public static Path partPath(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    private static String howToGet(URI url, Path target, ExpectedDigest expected) {
        return "download " + url + " on a connected machine and bring it in with 'bonexray weights import FILE' (or"
                + " put it at " + target + "; it must have " + expected.describe() + "), or pass --pretrained FILE with"
                + " a local weights file (.safetensors, .npz, .pth, .bin, .ckpt)";
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
