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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bonexray.io.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a real HTTP server on loopback serving a fixed byte array. */
class WeightsDownloaderTest {
    private static final String NAME = "tiny.safetensors";
    private static final byte[] CONTENT = randomBytes(300_000, 7);
    private static final String SHA = Sha256.of(CONTENT);

    @TempDir
    Path cache;

    private HttpServer server;
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    /** Requests (counted from 1) on which the server sends only this many bytes and hangs up. */
    private volatile int cutOnRequest = -1;
    private volatile int cutAfterBytes;
    private volatile boolean honourRange = true;
    /** When set, a cut request keeps its connection open without sending more (a stalled server). */
    private volatile boolean stallInsteadOfClose;
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/w/" + NAME, this::serve);
        server.setExecutor(pool);
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        pool.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        int n = requests.incrementAndGet();
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(range);
        int start = 0;
        if (range != null && honourRange) {
            start = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + start + "-" + (CONTENT.length - 1) + "/" + CONTENT.length);
            exchange.sendResponseHeaders(206, CONTENT.length - start);
        } else {
            exchange.sendResponseHeaders(200, CONTENT.length);
        }
        OutputStream body = exchange.getResponseBody();
        if (n == cutOnRequest) {
            body.write(CONTENT, start, cutAfterBytes);
            body.flush();
            if (stallInsteadOfClose) {
                awaitRelease();
            }
            // A handler that throws makes HttpServer drop the connection: the client sees it end midway.
            throw new IOException("connection cut on purpose");
        }
        body.write(CONTENT, start, CONTENT.length - start);
        body.close();
    }

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/w/" + NAME);
    }

    private WeightsDownloader online() {
        return new WeightsDownloader(cache, false, new PrintStream(progress, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(700));
    }

    private WeightsDownloader offline() {
        return new WeightsDownloader(cache, true, new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void downloadsVerifiesAndThenServesFromCacheWithoutNetwork() throws IOException {
        Path file = online().fetch(url(), NAME, SHA);
        assertEquals(cache.resolve(NAME), file);
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
        assertEquals(1, requests.get());
        assertFalse(Files.exists(WeightsDownloader.partPath(file)), ".part must be renamed away");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("KiB"), "progress shown: " + progress);

        Path again = online().fetch(url(), NAME, SHA.toUpperCase());
        assertEquals(file, again);
        assertEquals(1, requests.get(), "a verified cached file needs no request");
    }

    @Test
    void checksumMismatchIsRefusedAndLeavesNoFile() throws IOException {
        String wrong = Sha256.of(randomBytes(10, 1));
        WeightsException e = assertThrows(WeightsException.class, () -> online().fetch(url(), NAME, wrong));
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
        assertTrue(e.getMessage().contains(SHA), "names the actual hash: " + e.getMessage());
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(List.of(), files.toList(), "neither the file nor its .part may stay");
        }
    }

    @Test
    void interruptedTransferIsResumedWithRangeAndVerified() throws IOException {
        cutOnRequest = 1;
        cutAfterBytes = 120_000;
        Path file = online().fetch(url(), NAME, SHA);
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
        assertEquals(2, requests.get());
        assertEquals(null, ranges.get(0));
        assertEquals("bytes=120000-", ranges.get(1), "the second request resumes where the first stopped");
    }

    @Test
    void stalledTransferIsDroppedAndResumed() throws IOException {
        cutOnRequest = 1;
        cutAfterBytes = 64_000;
        stallInsteadOfClose = true;
        Path file = online().fetch(url(), NAME, SHA);
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
        assertEquals(2, requests.get());
        assertEquals("bytes=64000-", ranges.get(1));
    }

    @Test
    void existingPartIsResumedOnTheNextRun() throws IOException {
        Files.write(cache.resolve(NAME + ".part"), java.util.Arrays.copyOf(CONTENT, 50_000));
        Path file = online().fetch(url(), NAME, SHA);
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
        assertEquals(List.of("bytes=50000-"), ranges);
    }

    @Test
    void serverIgnoringRangeMakesTheDownloadStartOver() throws IOException {
        honourRange = false;
        byte[] stalePrefix = randomBytes(70_000, 99);
        Files.write(cache.resolve(NAME + ".part"), stalePrefix);
        Path file = online().fetch(url(), NAME, SHA);
        assertArrayEquals(CONTENT, Files.readAllBytes(file), "the stale prefix must be overwritten, not kept");
        assertEquals(List.of("bytes=70000-"), ranges);
    }

    @Test
    void corruptedCachedFileIsReplaced() throws IOException {
        Files.write(cache.resolve(NAME), randomBytes(1000, 3));
        Path file = online().fetch(url(), NAME, SHA);
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
        assertEquals(1, requests.get());
    }

    @Test
    void offlineWithCachedFileWorksWithoutServer() throws IOException {
        Files.write(cache.resolve(NAME), CONTENT);
        server.stop(0);
        server = null;
        assertEquals(cache.resolve(NAME), offline().fetch(URI.create("http://127.0.0.1:9/w/" + NAME), NAME, SHA));
    }

    @Test
    void offlineWithoutCacheExplainsHowToGetTheFile() {
        WeightsException e = assertThrows(WeightsException.class, () -> offline().fetch(url(), NAME, SHA));
        String m = e.getMessage();
        assertTrue(m.contains(url().toString()), m);
        assertTrue(m.contains(cache.resolve(NAME).toString()), m);
        assertTrue(m.contains("--pretrained FILE"), m);
        assertTrue(m.contains("offline"), m);
        assertEquals(0, requests.get());
    }

    @Test
    void unreachableServerExplainsHowToGetTheFile() {
        int port = server.getAddress().getPort();
        server.stop(0);
        server = null;
        URI gone = URI.create("http://127.0.0.1:" + port + "/w/" + NAME);
        WeightsException e = assertThrows(WeightsException.class, () -> online().fetch(gone, NAME, SHA));
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--pretrained FILE"), e.getMessage());
    }

    @Test
    void httpErrorStatusIsReported() {
        URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/nothing-here");
        WeightsException e = assertThrows(WeightsException.class, () -> online().fetch(missing, NAME, SHA));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void cacheDirectoryAndOfflineModeComeFromTheEnvironment() {
        Path home = Path.of("/home/someone");
        assertEquals(home.resolve(".cache/bonexray/weights"), WeightsDownloader.defaultCacheDir(Map.of(), home));
        assertEquals(Path.of("/data/bx/weights"),
                WeightsDownloader.defaultCacheDir(Map.of("BONEXRAY_CACHE", "/data/bx"), home));
        assertFalse(WeightsDownloader.isOffline(Map.of()));
        assertTrue(WeightsDownloader.isOffline(Map.of("BONEXRAY_OFFLINE", "true")));
        assertFalse(WeightsDownloader.isOffline(Map.of("DJL_OFFLINE", "true")),
                "DJL_OFFLINE keeps DJL off the network; it does not forbid a weights download the user asked for");
    }

    @Test
    void cacheFileNamesCannotEscapeTheCache() {
        assertThrows(IllegalArgumentException.class, () -> online().cachedPath("../evil.safetensors"));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
