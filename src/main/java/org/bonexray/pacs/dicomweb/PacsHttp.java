package org.bonexray.pacs.dicomweb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests to a PACS with the JDK's HttpClient: authentication on every request, a bound on each whole
 * answer's time and size, and retries with doubling back-off after network failures and 5xx/408/429 answers
 * (a Retry-After in seconds is honoured up to the policy's longest delay). Other answers are returned for the
 * caller to judge. Thread-safe.
 */
public final class PacsHttp {
    private final PacsEndpoint endpoint;
    private final HttpClient client;
    private final Waiter waiter;

    /** An answer: status, headers and the whole body. */
    public record Response(URI uri, int status, HttpHeaders headers, byte[] body) {
        /** The Content-Type header, empty when absent. */
        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        /** Throws a {@link PacsException} (REFUSED) unless the status is 2xx; {@code what} names the request. */
        public Response requireSuccess(String what) {
            if (status / 100 != 2) {
                throw new PacsException(PacsException.Kind.REFUSED, status, what + ": the PACS answered HTTP "
                        + status + snippet(body), null);
            }
            return this;
        }
    }

    public PacsHttp(PacsEndpoint endpoint, Waiter waiter) {
        this.endpoint = endpoint;
        this.waiter = waiter;
        this.client = HttpClient.newBuilder().connectTimeout(endpoint.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(endpoint.sslContext()).build();
    }

    public PacsEndpoint endpoint() {
        return endpoint;
    }

    /** GET with an Accept header. */
    public Response get(URI uri, String accept) {
        return send(request(uri, accept).GET().build());
    }

    /** POST of a body with its Content-Type. */
    public Response post(URI uri, String contentType, byte[] body, String accept) {
        return send(request(uri, accept).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(URI uri, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(endpoint.requestTimeout()).header("Accept", accept);
        if (endpoint.auth().header() != null) {
            b.header("Authorization", endpoint.auth().header());
        }
        return b;
    }

    private Response send(HttpRequest request) {
        RetryPolicy retry = endpoint.retry();
        String last = "";
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            try {
                Response r = once(request);
                if (!retryable(r.status())) {
                    return r;
                }
                last = "HTTP " + r.status();
                wait = retryAfter(r).orElse(retry.delayAfter(attempt));
            } catch (javax.net.ssl.SSLException e) {
                // a certificate the trust store does not vouch for stays so: retrying only delays the message
                throw new PacsException(PacsException.Kind.UNAVAILABLE, 0, request.method() + " " + request.uri()
                        + ": TLS failed (" + e.getMessage() + "); is the server's certificate in --trust-store?", e);
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = retry.delayAfter(attempt);
            }
            if (attempt >= retry.attempts()) {
                throw new PacsException(PacsException.Kind.UNAVAILABLE, 0, request.method() + " " + request.uri()
                        + " failed after " + attempt + " tries (" + last + ")", null);
            }
            if (!waiter.await(min(wait, retry.maxDelay()))) {
                throw new PacsException(PacsException.Kind.STOPPED, "stopped while waiting to retry " + request.uri());
            }
        }
    }

    private Response once(HttpRequest request) throws IOException {
        long limit = endpoint.maxResponseBytes();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new LimitedBody(limit));
        try {
            HttpResponse<byte[]> r = future.get(endpoint.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Response(request.uri(), r.statusCode(), r.headers(), r.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("no complete answer within " + endpoint.requestTimeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PacsException(PacsException.Kind.STOPPED, "interrupted during " + request.uri());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof PacsException p) {
                throw p;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(cause), cause);
        }
    }

    private static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private static java.util.Optional<Duration> retryAfter(Response r) {
        try {
            return r.headers().firstValue("Retry-After").map(String::strip).map(Long::parseLong)
                    .filter(s -> s >= 0).map(Duration::ofSeconds);
        } catch (NumberFormatException e) {
            return java.util.Optional.empty(); // an HTTP date: fall back to the policy's own delay
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The start of an error body, printable characters only, so a message never carries binary or markup at length. */
    static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)
                .replaceAll("[^\\p{Print}]+", " ").strip();
        return text.isEmpty() ? "" : ": " + text;
    }
}
