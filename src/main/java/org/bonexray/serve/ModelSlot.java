package org.bonexray.serve;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model the service predicts with right now, swapped atomically by a reload. A batch {@link #acquire}s the
 * current model and releases it when done, so a swap never closes a model a batch is still running on.
 */
final class ModelSlot implements AutoCloseable {
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private volatile boolean closed;

    /** @return the current model with a reference taken (release it), or empty while none is loaded */
    Optional<ServedModel> acquire() {
        while (true) {
            ServedModel m = current.get();
            if (m == null || closed) {
                return Optional.empty();
            }
            if (m.retain()) {
                return Optional.of(m);
            }
            // swapped out and closed between the read and the retain: read the new one
        }
    }

    /** @return the current model without a reference (for its id, card or preprocessing), empty before the first */
    Optional<ServedModel> peek() {
        return Optional.ofNullable(current.get());
    }

    /**
     * Makes {@code next} current and drops the slot's reference to the previous model, which closes once the
     * batches running on it finish.
     *
     * @param next a model holding the reference its creator owns, which passes to the slot
     * @return the previous model's id, or null for none
     */
    synchronized String swap(ServedModel next) {
        if (closed) {
            next.release();
            throw new IllegalStateException("the service is shutting down");
        }
        ServedModel previous = current.getAndSet(next);
        if (previous == null) {
            return null;
        }
        previous.release();
        return previous.id();
    }

    /** Drops the current model; call after the batchers stopped. */
    @Override
    public synchronized void close() {
        closed = true;
        ServedModel m = current.getAndSet(null);
        if (m != null) {
            m.release();
        }
    }
}
