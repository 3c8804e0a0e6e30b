package io.letterlock.delivery.attempt;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} holders per key, without blocking a thread: a caller over the limit gets a
 * future that completes when a permit is released. Used to cap concurrent connections per MX
 * address, so a burst to one domain neither floods its server nor starves other domains.
 */
final class AsyncPermits<K> {

    private final int limit;
    private final Map<K, State> states = new ConcurrentHashMap<>();

    AsyncPermits(int limit) {
        this.limit = limit;
    }

    CompletableFuture<Void> acquire(K key) {
        State state = states.computeIfAbsent(key, k -> new State());
        synchronized (state) {
            if (state.held < limit) {
                state.held++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            state.waiting.add(waiting);
            return waiting;
        }
    }

    void release(K key) {
        State state = states.get(key);
        CompletableFuture<Void> next;
        synchronized (state) {
            next = state.waiting.poll();
            if (next == null) {
                state.held--;
                return;
            }
        }
        // The permit passes straight to the next waiter; complete outside the lock.
        next.complete(null);
    }

    private static final class State {
        int held;
        final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    }
}
