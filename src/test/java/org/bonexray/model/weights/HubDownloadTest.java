package org.bonexray.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.bonexray.io.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pretrained imagenet}'s download against a loopback server that answers as the hub does: a resolve URL
 * redirects to a content server, and the redirect carries the commit (X-Repo-Commit), the file's SHA-256
 * (X-Linked-Etag) and its size (X-Linked-Size).
 */
@Timeout(120)
class HubDownloadTest {
    private static final byte[] CONTENT = WeightsDownloaderTest.randomBytes(250_000, 17);
    private static final String SHA = Sha256.of(CONTENT);
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile String publishedSha = SHA;
    private volatile boolean publishCommit = true;
    private volatile int truncateTo = -1;
    private volatile int cutFirstAfter = -1;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/timm/", this::resolve);
        server.createContext("/cdn/blob", this::content);
        server.setExecutor(pool);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void resolve(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        String path = ex.getRequestURI().getPath();
        String revision = path.split("/")[4];
        if (publishCommit) {
            ex.getResponseHeaders().add("X-Repo-Commit", revision.equals("main") ? COMMIT : revision);
        }
        if (publishedSha != null) {
            ex.getResponseHeaders().add("X-Linked-Etag", "\"" + publishedSha + "\"");
        }
        ex.getResponseHeaders().add("X-Linked-Size", String.valueOf(CONTENT.length));
        ex.getResponseHeaders().add("Location", "/cdn/blob");
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void content(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " /cdn/blob " + ex.getRequestHeaders().getFirst("Range"));
        byte[] body = truncateTo >= 0 ? java.util.Arrays.copyOf(CONTENT, truncateTo) : CONTENT;
        String range = ex.getRequestHeaders().getFirst("Range");
        int start = range == null ? 0 : Integer.parseInt(range.substring(6, range.indexOf('-')));
        if (start > 0) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.sendResponseHeaders(start > 0 ? 206 : 200, body.length - start);
        OutputStream out = ex.getResponseBody();
        if (cutFirstAfter > 0) {
            out.write(body, start, cutFirstAfter);
            out.flush();
            cutFirstAfter = -1;
            throw new IOException("cut on purpose");
        }
        out.write(body, start, body.length - start);
        out.close();
    }

    private PretrainedStore store() {
        WeightsCaches caches = new WeightsCaches(dir.resolve("bx"), dir.resolve("hf"), dir.resolve("th"));
        WeightsDownloader downloader = new WeightsDownloader(caches.bonexray(), false,
                new PrintStream(new ByteArrayOutputStream()), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(2));
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new PretrainedStore(downloader, caches, new WeightsEndpoints(base, base.resolve("tv/")));
    }

    private List<String> cacheFiles() throws IOException {
        Path bx = dir.resolve("bx");
        if (!Files.isDirectory(bx)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(bx)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void unpinnedEntryIsDownloadedAtTheCommitTheHubNamesAndVerifiedAgainstItsDigest() throws IOException {
        FetchedWeights got = store().imagenet("densenet169", null);
        assertArrayEquals(CONTENT, Files.readAllBytes(got.file()));
        assertEquals(COMMIT, got.revision());
        assertEquals(SHA, got.sha256());
        assertTrue(got.url().contains("/resolve/" + COMMIT + "/model.safetensors"), got.url());
        assertTrue(got.verifiedBy().contains("X-Linked-Etag"), got.verifiedBy());
        assertEquals(List.of("HEAD /timm/densenet169.tv_in1k/resolve/main/model.safetensors",
                "GET /timm/densenet169.tv_in1k/resolve/" + COMMIT + "/model.safetensors", "GET /cdn/blob null"), requests);

        requests.clear();
        FetchedWeights again = store().imagenet("densenet169", null);
        assertEquals(List.of(), requests, "found before fetched: the recorded digest verifies the cached file");
        assertEquals(COMMIT, again.revision());
        assertEquals("bonexray cache", again.location());
    }

    @Test
    void aDigestThatDiffersLeavesNothingInTheCache() throws IOException {
        publishedSha = "f".repeat(64);
        WeightsException e = assertThrows(WeightsException.class, () -> store().imagenet("densenet169", null));
        assertTrue(e.getMessage().contains(SHA) && e.getMessage().contains("f".repeat(64)), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void noPublishedDigestAndNonePinnedIsRefusedBeforeDownloading() throws IOException {
        publishedSha = null;
        WeightsException e = assertThrows(WeightsException.class, () -> store().imagenet("densenet201", null));
        assertTrue(e.getMessage().contains("publishes no SHA-256"), e.getMessage());
        assertTrue(e.getMessage().contains("densenet201-c1103571"), "offers torchvision's file: " + e.getMessage());
        assertTrue(requests.stream().allMatch(r -> r.startsWith("HEAD")), requests.toString());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void aUserDigestStandsInForAMissingPublishedOne() {
        publishedSha = null;
        FetchedWeights got = store().imagenet("densenet201", SHA);
        assertEquals(SHA, got.sha256());
        assertTrue(got.verifiedBy().contains("given by the user"), got.verifiedBy());
    }

    @Test
    void noCommitNamedMeansNoDownload() throws IOException {
        publishCommit = false;
        WeightsException e = assertThrows(WeightsException.class, () -> store().imagenet("densenet169", null));
        assertTrue(e.getMessage().contains("X-Repo-Commit"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void aTruncatedFileIsRefusedAsSuchAndLeavesNothing() throws IOException {
        truncateTo = 100_000;
        WeightsException e = assertThrows(WeightsException.class, () -> store().imagenet("densenet169", null));
        assertTrue(e.getMessage().contains("100000 bytes where the server announced 250000"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void anInterruptedTransferIsResumedAndVerified() throws IOException {
        cutFirstAfter = 90_000;
        FetchedWeights got = store().imagenet("densenet169", null);
        assertArrayEquals(CONTENT, Files.readAllBytes(got.file()));
        assertTrue(requests.contains("GET /cdn/blob bytes=90000-"), requests.toString());
    }

    @Test
    void aPinnedRevisionIsAskedForByItsCommitAndItsPinnedDigestWins() throws IOException {
        PretrainedWeights pinned = PretrainedWeights.DENSENET121_IMAGENET;
        WeightsException e = assertThrows(WeightsException.class, () -> store().imagenet("densenet121", null));
        String path = "/timm/densenet121.tv_in1k/resolve/" + pinned.revision().orElseThrow() + "/model.safetensors";
        assertEquals(List.of("HEAD " + path), requests, "never main, and nothing fetched once the digests disagree");
        assertTrue(e.getMessage().contains("the hub publishes SHA-256 " + SHA), e.getMessage());
        assertTrue(e.getMessage().contains(pinned.sha256().orElseThrow()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bx").resolve(pinned.fileName())));
    }
}
