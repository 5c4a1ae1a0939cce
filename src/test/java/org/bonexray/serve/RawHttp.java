package org.bonexray.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bonexray.bench.ServeLoad;

/**
 * A plain TCP client for the fault tests: it writes request bytes exactly as a test says (half a body, a header a
 * byte at a time, an endless upload) where an HTTP client library would refuse to misbehave, and reads the answer.
 */
final class RawHttp implements AutoCloseable {
    /** An answer: its status (0 when the server closed without one) and its text. */
    record Answer(int status, String text) {
        boolean closedWithoutAnswer() {
            return status == 0;
        }

        /** @return what follows the head (an HTTP/1.0 answer's body is not chunked) */
        String body() {
            int at = text.indexOf("\r\n\r\n");
            return at < 0 ? "" : text.substring(at + 4);
        }
    }

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** Connects to the server on loopback; reads wait at most {@code readTimeoutMillis}. */
    static RawHttp open(int port, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        s.setSendBufferSize(64 * 1024); // keeps the bytes the kernel buffers on our side small when counting sent bytes
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(readTimeoutMillis);
        return new RawHttp(s);
    }

    /** The head of a POST to the study endpoint with a multipart body; {@code length} -1 sends it chunked. */
    static byte[] studyHead(long length) {
        String framing = length < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n";
        return ("POST " + BonexrayServer.STUDIES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + ServeLoad.MULTIPART_TYPE + "\r\n" + framing + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One whole study of small PNGs, as bytes on the wire. */
    static byte[] study(long seed) {
        byte[] body = ServeLoad.multipartBody(List.of(new ServeLoad.Part("a.png", ServeFixtures.png(40, 40, seed))),
                Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(studyHead(body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Sends one whole study on a connection of its own and returns the answer's status. */
    static int sendStudy(int port, long seed) throws IOException {
        try (RawHttp c = open(port, 30_000)) {
            c.write(study(seed));
            return c.answer().status();
        }
    }

    /** {@code GET path} (HTTP/1.0: the server closes after the answer) on a connection of its own (the service's idle timeout may close pooled ones). */
    static Answer get(int port, String path) throws IOException {
        try (RawHttp c = open(port, 30_000)) {
            c.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return c.answer();
        }
    }

    void write(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    /**
     * Reads until the server closes the connection (every request here says {@code Connection: close}).
     *
     * @return the answer, status 0 when the server closed or reset without one
     * @throws SocketTimeoutException when the server neither answers nor closes within the read timeout
     */
    Answer answer() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                text.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // a reset after (or instead of) the answer: keep what arrived
        }
        String s = text.toString(StandardCharsets.ISO_8859_1);
        if (!s.startsWith("HTTP/1.")) {
            return new Answer(0, s);
        }
        return new Answer(Integer.parseInt(s.substring(9, 12)), s);
    }

    /** Reads one answer delimited by its Content-Length, leaving the connection open for the next request. */
    Answer oneAnswer() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (!text.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return new Answer(0, text.toString(StandardCharsets.ISO_8859_1));
            }
            text.write(b);
        }
        String head = text.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                .matcher(head);
        if (length.find()) {
            text.writeBytes(in.readNBytes(Integer.parseInt(length.group(1))));
        }
        return new Answer(Integer.parseInt(head.substring(9, 12)), text.toString(StandardCharsets.ISO_8859_1));
    }

    /** Whether the body of {@code answer} names the error code (the service's JSON errors carry one). */
    static boolean hasCode(Answer answer, String code) {
        return answer.text().toLowerCase(Locale.ROOT).contains("\"code\":\"" + code + "\"");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
