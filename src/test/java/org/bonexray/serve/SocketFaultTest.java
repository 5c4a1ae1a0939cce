package org.bonexray.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.bonexray.bench.ServeLoad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misbehaving clients against the real server over raw sockets: a body that stops half-way, a header trickled a
 * byte at a time, 100 MB of garbage, images whose headers claim billions of pixels. Each time the server frees what
 * the client held, refuses it early and keeps answering everyone else.
 */
class SocketFaultTest {
    private static final Duration IDLE = Duration.ofMillis(2_000);
    private static final Duration HEADER = Duration.ofMillis(2_500);
    private static final long MAX_FILE = ServeConfig.MB;
    private static final long MAX_TOTAL = 4 * ServeConfig.MB;
    private static final long GARBAGE = 100 * ServeConfig.MB;

    @TempDir
    static Path tmp;
    private static BonexrayServer server;
    private static int port;

    @BeforeAll
    static void start() throws InterruptedException {
        server = ServeFixtures.serve(ServeFixtures.tinyModel(tmp.resolve("model")), ServeConfig.builder().port(0)
                .heatmaps("none", "norm5").queue(4, Duration.ofSeconds(30)).limits(MAX_FILE, MAX_TOTAL, 16)
                .timeouts(new ServeConfig.Timeouts(IDLE, HEADER)).build());
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(20)
    void aBodyThatStopsHalfWayFreesItsSlotWithinTheIdleTimeout() throws Exception {
        try (RawHttp stalled = RawHttp.open(port, 10_000)) {
            sendHalfAStudy(stalled, 1);
            long stoppedAt = System.nanoTime();
            assertEquals(200, RawHttp.sendStudy(port, 2), "another client is answered while the body hangs");
            awaitGauge("bonexray_admitted_studies", 0, IDLE.toMillis() + 3_000);
            long freedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            assertTrue(freedMs >= IDLE.toMillis() / 2, "freed by the idle timeout, not before: " + freedMs + " ms");
            RawHttp.Answer answer = stalled.answer();
            assertTrue(answer.closedWithoutAnswer() || answer.status() >= 400, answer.text());
        }
        assertNothingStuck();
        assertEquals(200, RawHttp.sendStudy(port, 3));
    }

    @Test
    @Timeout(20)
    void aBodyThatStopsHalfWayAndClosesFreesItsSlotAtOnce() throws Exception {
        try (RawHttp stalled = RawHttp.open(port, 10_000)) {
            sendHalfAStudy(stalled, 4);
        }
        awaitGauge("bonexray_admitted_studies", 0, IDLE.toMillis() + 3_000);
        assertNothingStuck();
        assertEquals(200, RawHttp.sendStudy(port, 5));
    }

    /** Sends the head and half the body of a study, then waits until the server has admitted it. */
    private static void sendHalfAStudy(RawHttp c, long seed) throws Exception {
        byte[] body = ServeLoad.multipartBody(List.of(new ServeLoad.Part("a.png", ServeFixtures.png(200, 200, seed))),
                Map.of());
        c.write(RawHttp.studyHead(body.length));
        c.write(Arrays.copyOf(body, body.length / 2));
        awaitGauge("bonexray_admitted_studies", 1, 5_000);
    }

    @Test
    @Timeout(20)
    void slowHeaderTricklesAreClosedByTheHeaderDeadlineWhileOthersAreServed() throws Exception {
        List<CompletableFuture<Long>> trickles = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            trickles.add(CompletableFuture.supplyAsync(SocketFaultTest::trickleUntilClosed));
        }
        Thread.sleep(300);
        assertEquals(200, RawHttp.sendStudy(port, 6), "a client is answered while the trickles go on");
        for (CompletableFuture<Long> t : trickles) {
            long openMs = t.get(15, TimeUnit.SECONDS);
            assertTrue(openMs >= HEADER.toMillis() - 200 && openMs < HEADER.toMillis() + 3_000,
                    "closed by the " + HEADER.toMillis() + " ms header deadline, though a byte came every 200 ms: "
                            + openMs + " ms");
        }
        assertEquals(200, RawHttp.sendStudy(port, 7));
    }

    /** Sends a request head one byte every 200 ms; returns how long the connection stayed open, in ms. */
    private static long trickleUntilClosed() {
        long t0 = System.nanoTime();
        try (RawHttp c = RawHttp.open(port, 10_000)) {
            c.write(("POST " + BonexrayServer.STUDIES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .getBytes(StandardCharsets.US_ASCII));
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(12)) {
                Thread.sleep(200);
                c.write(new byte[] {'a'});
            }
            throw new AssertionError("the trickle stayed open for 12 s");
        } catch (IOException e) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0); // the server closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Timeout(20)
    void hundredMegabytesOfGarbageAreRefusedBeforeTheyAreRead() throws Exception {
        long heapBefore = usedHeapAfterGc();
        for (boolean chunked : new boolean[] {false, true}) {
            Garbage sent = sendGarbage(chunked, GARBAGE);
            String which = chunked ? "chunked" : "declared";
            assertEquals(413, sent.answer().status(), sent.answer().text());
            assertTrue(RawHttp.hasCode(sent.answer(), chunked ? "file_too_large" : "request_too_large"),
                    sent.answer().text());
            assertTrue(sent.beforeAnswer() < GARBAGE / 4, which + ": answered only after "
                    + sent.beforeAnswer() / ServeConfig.MB + " MB of " + GARBAGE / ServeConfig.MB + " MB");
            assertEquals(200, RawHttp.sendStudy(port, 8));
        }
        long grownMb = (usedHeapAfterGc() - heapBefore) / ServeConfig.MB;
        assertTrue(grownMb < 50, "heap grew by " + grownMb + " MB");
        assertNothingStuck();
    }

    @Test
    @Timeout(20)
    void anEndlessRefusedUploadIsCutOffShortlyAfterItsAnswer() throws Exception {
        long endless = 1024 * 1024 * ServeConfig.MB; // a terabyte: only the server's close ends it in time
        long t0 = System.nanoTime();
        Garbage sent = sendGarbage(true, endless);
        long cutMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(413, sent.answer().status(), sent.answer().text());
        assertTrue(sent.total() < endless, "the server never closed the connection");
        assertTrue(cutMs < UnreadBodyCutoff.LINGER_MILLIS + 5_000, "cut off after " + cutMs + " ms");
        assertNothingStuck();
        assertEquals(200, RawHttp.sendStudy(port, 9));
    }

    @Test
    @Timeout(20)
    void aRefusedBodySentWholeLeavesItsKeepAliveConnectionUsable() throws Exception {
        try (RawHttp c = RawHttp.open(port, 10_000)) {
            c.write(("POST " + BonexrayServer.STUDIES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer refused = c.oneAnswer();
            assertEquals(415, refused.status(), refused.text());
            Thread.sleep(UnreadBodyCutoff.LINGER_MILLIS + 300);
            c.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer live = c.oneAnswer();
            assertEquals(200, live.status(), "the drained connection carries the next request: " + live.text());
        }
    }

    /** What one garbage upload did: the answer, the bytes sent before it came, the bytes sent in all. */
    private record Garbage(RawHttp.Answer answer, long beforeAnswer, long total) {
    }

    /**
     * Streams {@code length} random bytes as one image part (from one 64 KB buffer, never held whole) while reading
     * the answer, until the length is sent or the server closes the connection.
     */
    private static Garbage sendGarbage(boolean chunked, long length) throws Exception {
        byte[] head = ServeLoad.partHead("garbage.png");
        try (RawHttp c = RawHttp.open(port, 15_000)) {
            c.write(RawHttp.studyHead(chunked ? -1 : head.length + length));
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                byte[] block = new byte[64 * 1024];
                new Random(9).nextBytes(block);
                try {
                    OutputStream out = c.output();
                    writeFramed(out, head, chunked);
                    for (long left = length; left > 0; left -= block.length) {
                        writeFramed(out, block, chunked);
                        sent.addAndGet(block.length);
                    }
                } catch (IOException e) {
                    // the server closed the connection: what was sent so far is the count
                }
            });
            RawHttp.Answer answer = c.answer();
            long beforeAnswer = sent.get();
            writer.get(15, TimeUnit.SECONDS);
            return new Garbage(answer, beforeAnswer, sent.get());
        }
    }

    private static void writeFramed(OutputStream out, byte[] bytes, boolean chunked) throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Timeout(20)
    void imagesClaimingBillionsOfPixelsAreRefusedFromTheirHeaders() throws Exception {
        long heapBefore = usedHeapAfterGc();
        RawHttp.Answer png = post("bomb.png", pngClaiming(100_000, 100_000));
        assertEquals(413, png.status(), png.text());
        assertTrue(RawHttp.hasCode(png, "image_too_large"), png.text());
        assertTrue(png.text().contains("bomb.png: ") && png.text().contains("100000x100000 pixels"), png.text());
        RawHttp.Answer jpeg = post("bomb.jpg", jpegClaiming(65_000, 65_000));
        assertEquals(413, jpeg.status(), jpeg.text());
        assertTrue(jpeg.text().contains("bomb.jpg: ") && jpeg.text().contains("65000x65000 pixels"), jpeg.text());
        long grownMb = (usedHeapAfterGc() - heapBefore) / ServeConfig.MB;
        assertTrue(grownMb < 50, "heap grew by " + grownMb + " MB");
        assertNothingStuck();
        assertEquals(200, RawHttp.sendStudy(port, 10));
    }

    private static RawHttp.Answer post(String name, byte[] image) throws IOException {
        byte[] body = ServeLoad.multipartBody(List.of(new ServeLoad.Part(name, image)), Map.of());
        try (RawHttp c = RawHttp.open(port, 15_000)) {
            c.write(RawHttp.studyHead(body.length));
            c.write(body);
            return c.answer();
        }
    }

    /**
     * A PNG written by hand whose IHDR claims {@code width x height} 8-bit gray pixels, with well-formed chunks
     * (CRCs right) and an IDAT holding the first rows of zeros only: its header is all a decoder may look at.
     */
    static byte[] pngClaiming(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[4 * (width + 1)]);
        deflater.finish();
        byte[] idat = new byte[8192];
        int n = deflater.deflate(idat);
        deflater.end();
        chunk(out, "IDAT", Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A real 16 x 16 JPEG whose start-of-frame is rewritten to claim {@code width x height}. */
    static byte[] jpegClaiming(int width, int height) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "jpeg", out));
        byte[] jpeg = out.toByteArray();
        for (int i = 2; i + 9 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker == 0xC0) { // SOF0: length, precision, height, width
                ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) height).putShort((short) width);
                return jpeg;
            }
            i += 2 + length;
        }
        throw new AssertionError("the JPEG writer wrote no SOF0");
    }

    /** No study left admitted or queued, no request still being handled. */
    private static void assertNothingStuck() throws Exception {
        awaitGauge("bonexray_admitted_studies", 0, 5_000);
        Map<String, Double> metrics = metrics();
        assertEquals(0.0, metrics.get("bonexray_queue_studies"), metrics.toString());
        assertEquals(0.0, metrics.get("bonexray_queue_views"), metrics.toString());
        assertEquals(0, server.inFlight(), "study requests still being handled");
    }

    /** Polls {@code /metrics} until the gauge reads {@code value}. */
    private static void awaitGauge(String name, double value, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Double last;
        do {
            last = metrics().get(name);
            if (last != null && last == value) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + " stayed " + last + " for " + millis + " ms, expected " + value);
    }

    private static Map<String, Double> metrics() throws IOException {
        RawHttp.Answer scrape = RawHttp.get(port, "/metrics");
        assertEquals(200, scrape.status(), scrape.text());
        return QueueMetricsReloadTest.samples(scrape.body());
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
