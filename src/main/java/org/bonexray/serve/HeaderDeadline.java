package org.bonexray.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not sent a whole request head within a bound of its opening or of its previous
 * answer, however often it sends a byte: the defence against slow header trickles ("slowloris") that Jetty 11's idle
 * timeout alone does not give, since every byte restarts it. Hand-rolled because Jetty 11 has no such setting (Go's
 * {@code ReadHeaderTimeout} is the model); it is a bean of the connector, told of connections opening and closing and
 * of request heads parsed and answers completed.
 */
final class HeaderDeadline implements Connection.Listener, HttpChannel.Listener {
    private final long millis;
    private final Scheduler scheduler;
    private final AtomicLong stamps = new AtomicLong();
    /** Connections waiting for a request head, with the stamp of the wait that started last. */
    private final Map<EndPoint, Long> waiting = new ConcurrentHashMap<>();

    HeaderDeadline(Duration timeout, Scheduler scheduler) {
        this.millis = timeout.toMillis();
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        startWaiting(connection.getEndPoint());
    }

    @Override
    public void onClosed(Connection connection) {
        waiting.remove(connection.getEndPoint());
    }

    @Override
    public void onRequestBegin(Request request) {
        waiting.remove(request.getHttpChannel().getEndPoint());
    }

    @Override
    public void onComplete(Request request) {
        EndPoint endPoint = request.getHttpChannel().getEndPoint();
        if (endPoint.isOpen()) {
            startWaiting(endPoint); // keep-alive: the next request's head is due within the bound too
        }
    }

    private void startWaiting(EndPoint endPoint) {
        long stamp = stamps.incrementAndGet();
        waiting.put(endPoint, stamp);
        scheduler.schedule(() -> {
            if (waiting.remove(endPoint, stamp)) {
                BonexrayServer.LOG.info("closing a connection that sent no whole request head within {} ms", millis);
                endPoint.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /** @return connections waiting for a request head now */
    int waiting() {
        return waiting.size();
    }
}
