package io.letterlock.delivery.content;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * At most {@code limit} bytes held at once, without blocking a thread: a caller over the limit gets
 * a future that completes when enough is released, first come first served (a large message is
 * not overtaken forever by small ones). One request larger than the whole limit is let through
 * once nothing else is held, so no message is too large to be sent.
 */
final class ContentBudget {

    private final long limit;
    private final Queue<Waiter> waiting = new ArrayDeque<>();
    private long held;

    ContentBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** Completes once {@code bytes} are held for the caller, who must {@link #release} them. */
    CompletableFuture<Void> acquire(long bytes) {
        synchronized (this) {
            if (waiting.isEmpty() && fits(bytes)) {
                held += bytes;
                return CompletableFuture.completedFuture(null);
            }
            Waiter waiter = new Waiter(bytes, new CompletableFuture<>());
            waiting.add(waiter);
            return waiter.granted;
        }
    }

    void release(long bytes) {
        Queue<Waiter> granted = new ArrayDeque<>();
        synchronized (this) {
            held -= bytes;
            while (!waiting.isEmpty() && fits(waiting.peek().bytes)) {
                Waiter next = waiting.poll();
                held += next.bytes;
                granted.add(next);
            }
        }
        // Completing runs the waiters' continuations: outside the lock.
        granted.forEach(waiter -> waiter.granted.complete(null));
    }

    synchronized long held() {
        return held;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private boolean fits(long bytes) {
        return held + bytes <= limit || held == 0;
    }

    private record Waiter(long bytes, CompletableFuture<Void> granted) {
    }
}
