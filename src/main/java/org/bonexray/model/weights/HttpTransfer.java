package org.bonexray.model.weights;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP GET of a URL into a {@code .part} file, resuming with a Range request when the file already
 * holds a prefix; a server that ignores Range (status 200) makes it start over. A body that stops
 * arriving for longer than the stall timeout is abandoned, since HttpClient itself has no read timeout.
 */
final class HttpTransfer {
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Duration stallTimeout;
    private final PrintStream progressOut;

    HttpTransfer(HttpClient client, Duration requestTimeout, Duration stallTimeout, PrintStream progressOut) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.stallTimeout = stallTimeout;
        this.progressOut = progressOut;
    }

    /**
     * Appends the rest of {@code url} to {@code part} (or rewrites it when the server sends all of it).
     *
     * @throws IOException when the connection fails, stalls or ends before the announced length
     * @throws WeightsException when the server answers with an error status (retrying would not help)
     */
    void run(URI url, Path part) throws IOException, InterruptedException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        AtomicReference<PartFileSubscriber> body = new AtomicReference<>();
        HttpResponse.BodyHandler<Long> handler = info -> {
            PartFileSubscriber subscriber = subscriberFor(info, url, part, have);
            body.set(subscriber);
            return subscriber;
        };
        CompletableFuture<HttpResponse<Long>> response = client.sendAsync(request.build(), handler);
        await(response, body);
    }

    private PartFileSubscriber subscriberFor(HttpResponse.ResponseInfo info, URI url, Path part, long have) {
        int status = info.statusCode();
        if (status == 416 && have > 0) {
            // Nothing left to send: the part is complete (or garbage); the checksum decides which.
            return PartFileSubscriber.failing(null);
        }
        if (status == 206 && have > 0) {
            String range = info.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + have + "-")) {
                // The server resumed elsewhere than asked: the prefix cannot be trusted, so start over.
                return PartFileSubscriber.failing(new IOException("server answered Range bytes=" + have
                        + "- with Content-Range '" + range + "'; starting over"), part);
            }
            return PartFileSubscriber.open(part, true, have, total(info, have), progressOut);
        }
        if (status == 200) {
            return PartFileSubscriber.open(part, false, 0, total(info, 0), progressOut);
        }
        return PartFileSubscriber.failing(new WeightsException("HTTP status " + status + " from " + url));
    }

    /** Waits for the body, giving up when no byte arrived during a whole stall timeout. */
    private void await(CompletableFuture<HttpResponse<Long>> response, AtomicReference<PartFileSubscriber> body)
            throws IOException, InterruptedException {
        long seen = -1;
        while (true) {
            try {
                response.get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                PartFileSubscriber subscriber = body.get();
                long now = subscriber == null ? -1 : subscriber.written();
                if (subscriber != null && now == seen) {
                    subscriber.abandon();
                    throw new IOException("no data received for " + stallTimeout.toSeconds() + " s");
                }
                seen = now;
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            }
        }
    }

    private static IOException unwrap(Throwable cause) {
        Throwable c = cause;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof WeightsException w) {
            throw w;
        }
        if (c instanceof IOException io) {
            return io;
        }
        return new IOException(c.getMessage(), c);
    }

    /** The full file's length, or -1 when the server does not say. */
    private static long total(HttpResponse.ResponseInfo info, long have) {
        String range = info.headers().firstValue("Content-Range").orElse("");
        int slash = range.lastIndexOf('/');
        if (slash >= 0 && !range.endsWith("*")) {
            try {
                return Long.parseLong(range.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                // fall back to Content-Length below
            }
        }
        OptionalLong length = info.headers().firstValueAsLong("Content-Length");
        return length.isPresent() ? have + length.getAsLong() : -1;
    }
}
