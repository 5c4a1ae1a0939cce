package org.bonexray.serve;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request was answered before its body was read (a refusal: too large, queue full, not
 * multipart, unauthorised) a short linger after the answer. Jetty 11 half-closes such a connection and then reads
 * and discards the rest of the body for as long as the client sends it, so an endless upload refused at its first
 * bytes would hold the connection and its bandwidth forever (its bytes keep the idle timeout from firing). The
 * linger is the lingering close HTTP asks for: the answer reaches the client before the close, which resets the
 * connection when body bytes are still arriving. Hand-rolled: Jetty 11 has no bound on that discarding.
 */
final class UnreadBodyCutoff implements HttpChannel.Listener {
    /** How long a refused body's connection stays open after its answer. */
    static final long LINGER_MILLIS = 1_000;

    private final Scheduler scheduler;
    /** Connections answered while their body was not all read, each with a mark of that answer. */
    private final Map<EndPoint, Object> refused = new ConcurrentHashMap<>();

    UnreadBodyCutoff(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void onComplete(Request request) {
        if (request.getHttpInput().isFinished()) {
            return;
        }
        EndPoint endPoint = request.getHttpChannel().getEndPoint();
        Object mark = new Object(); // Jetty recycles Request objects, so the answer needs a mark of its own
        refused.put(endPoint, mark);
        scheduler.schedule(() -> {
            if (refused.remove(endPoint, mark) && endPoint.isOpen()) {
                BonexrayServer.LOG.info("closing a connection still sending a refused body {} ms after the answer",
                        LINGER_MILLIS);
                endPoint.close();
            }
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onRequestEnd(Request request) {
        // the rest of the body arrived and was drained: the connection may carry the next request
        refused.remove(request.getHttpChannel().getEndPoint());
    }
}
