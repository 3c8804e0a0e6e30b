package io.letterlock.mail.concurrent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One piece of work per key at a time: a caller that asks for a key while its work is running gets
 * that work's result instead of starting it again. The MX resolver uses it so a burst of messages to
 * one domain asks DNS once; MTA-STS so that it fetches a domain's policy once.
 *
 * <p>The key is released when the work's future completes, after the work's own steps: work that
 * ends by writing a cache has written it before the next caller can start the work again, so a
 * caller in between finds the cache or joins the flight, never neither.
 *
 * @param <K> what identifies the work, e.g. a domain
 * @param <V> its result
 */
public final class SingleFlight<K, V> {

    private final Map<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

    /**
     * The result of the work running for {@code key}, or of {@code work}, started now on the calling
     * thread when none runs. Each caller gets its own future, so one caller cancelling or completing
     * it cannot touch another's. A {@code work} that throws fails that future like one whose future
     * fails.
     */
    public CompletableFuture<V> run(K key, Supplier<? extends CompletionStage<V>> work) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.copy();
        }
        CompletionStage<V> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((value, error) -> {
            inFlight.remove(key, mine);
            if (error == null) {
                mine.complete(value);
            } else {
                mine.completeExceptionally(error);
            }
        });
        return mine.copy();
    }

    /** How many keys have work running now. */
    public int running() {
        return inFlight.size();
    }
}
