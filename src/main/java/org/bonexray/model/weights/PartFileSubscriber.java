package org.bonexray.model.weights;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.bonexray.io.Progress;

/**
 * Writes a response body to a {@code .part} file as it arrives, showing progress; its result is the
 * file's length once the body is complete.
 */
final class PartFileSubscriber implements HttpResponse.BodySubscriber<Long> {
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final AtomicLong written;
    private final FileChannel channel;
    private final Progress progress;
    private final long total;
    private final Exception failure;
    private volatile Flow.Subscription subscription;
    private long shownKib;

    private PartFileSubscriber(FileChannel channel, long have, long total, Progress progress, Exception failure) {
        this.channel = channel;
        this.written = new AtomicLong(have);
        this.total = total;
        this.progress = progress;
        this.failure = failure;
        this.shownKib = kib(have);
    }

    /** A subscriber that appends to (or rewrites) {@code part}, which already holds {@code have} bytes. */
    static PartFileSubscriber open(Path part, boolean append, long have, long total, PrintStream progressOut) {
        try {
            FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            Progress progress = new Progress(progressOut, "download " + part.getFileName(), kib(total), "KiB");
            progress.step(kib(have));
            return new PartFileSubscriber(channel, have, total, progress, null);
        } catch (IOException e) {
            return failing(e);
        }
    }

    /** A subscriber that discards the body and fails with {@code failure} (or succeeds when it is null). */
    static PartFileSubscriber failing(Exception failure) {
        return new PartFileSubscriber(null, 0, -1, null, failure);
    }

    /** Like {@link #failing(Exception)}, deleting {@code untrusted} first. */
    static PartFileSubscriber failing(Exception failure, Path untrusted) {
        try {
            Files.deleteIfExists(untrusted);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failing(failure);
    }

    /** Bytes in the file so far. */
    long written() {
        return written.get();
    }

    /** Stops the transfer (the connection is dropped) and closes the file. */
    void abandon() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        finish(new IOException("abandoned"));
    }

    @Override
    public CompletionStage<Long> getBody() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (channel == null) {
            s.cancel();
            finish(failure);
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        try {
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining()) {
                    written.addAndGet(channel.write(buffer));
                }
            }
            long nowKib = kib(written.get());
            progress.step(nowKib - shownKib);
            shownKib = nowKib;
            subscription.request(1);
        } catch (IOException e) {
            subscription.cancel();
            finish(e);
        }
    }

    @Override
    public void onError(Throwable error) {
        finish(error);
    }

    @Override
    public void onComplete() {
        long have = written.get();
        finish(total >= 0 && have < total
                ? new IOException("connection closed after " + have + " of " + total + " bytes") : null);
    }

    private synchronized void finish(Throwable error) {
        if (done.isDone()) {
            return;
        }
        try {
            if (channel != null) {
                channel.close();
                progress.finish();
            }
        } catch (IOException e) {
            error = error == null ? e : error;
        }
        if (error == null) {
            done.complete(written.get());
        } else {
            done.completeExceptionally(error);
        }
    }

    private static long kib(long bytes) {
        return bytes <= 0 ? 0 : (bytes + 1023) / 1024;
    }
}
