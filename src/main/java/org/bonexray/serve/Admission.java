package org.bonexray.serve;

import java.util.concurrent.Semaphore;

/**
 * The service's bound on work in hand: at most {@code depth} studies at once (from the moment their request
 * arrives, before its body is read, until their answer is written) and at most a byte budget of request bodies
 * and decoded views. A request beyond either is refused at once, so memory stays bounded however many clients
 * send at the same time.
 */
final class Admission {
    private final int depth;
    private final Semaphore slots;
    private final Semaphore kib;
    private final long maxRequestBytes;

    /**
     * @param depth most studies admitted at once
     * @param bytes the byte budget
     * @param maxRequestBytes what a request of unknown length is counted as
     */
    Admission(int depth, long bytes, long maxRequestBytes) {
        this.depth = depth;
        this.slots = new Semaphore(depth);
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes / 1024));
        this.maxRequestBytes = maxRequestBytes;
    }

    /** One admitted study's place and bytes; closing it gives both back. */
    final class Ticket implements AutoCloseable {
        private int heldKib;
        private boolean closed;

        private Ticket(int heldKib) {
            this.heldKib = heldKib;
        }

        /**
         * Reserves more of the byte budget (the decoded views), without waiting.
         *
         * @return false when the budget cannot hold them now
         */
        synchronized boolean reserve(long bytes) {
            int more = kibOf(bytes);
            if (closed || !kib.tryAcquire(more)) {
                return false;
            }
            heldKib += more;
            return true;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                kib.release(heldKib);
                slots.release();
            }
        }
    }

    /**
     * Admits a study if there is room, without waiting.
     *
     * @param declaredBytes the request's Content-Length, or -1 when it declared none
     * @param retryAfterSeconds what a refusal tells the client to wait
     * @return the ticket
     * @throws ApiException 503 {@code queue_full} or {@code queue_memory_full} when there is no room
     */
    Ticket admit(long declaredBytes, long retryAfterSeconds) {
        if (!slots.tryAcquire()) {
            throw new ApiException(503, "queue_full", "the queue is full (" + depth + " studies), retry shortly")
                    .retryAfter(retryAfterSeconds);
        }
        int need = kibOf(declaredBytes < 0 ? maxRequestBytes : Math.min(declaredBytes, maxRequestBytes));
        if (!kib.tryAcquire(need)) {
            slots.release();
            throw memoryFull(retryAfterSeconds);
        }
        return new Ticket(need);
    }

    /** The refusal when the byte budget cannot hold a study now. */
    static ApiException memoryFull(long retryAfterSeconds) {
        return new ApiException(503, "queue_memory_full", "the queue's memory budget is in use, retry shortly")
                .retryAfter(retryAfterSeconds);
    }

    /** @return studies admitted now */
    int admitted() {
        return depth - slots.availablePermits();
    }

    /** @return the most studies admitted at once */
    int depth() {
        return depth;
    }

    /** @return whether no further study would be admitted now */
    boolean full() {
        return slots.availablePermits() == 0;
    }

    /** @return bytes of the budget in use */
    long bytesInUse(long budget) {
        return budget - 1024L * kib.availablePermits();
    }

    private static int kibOf(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (Math.max(0, bytes) + 1023) / 1024);
    }
}
