package io.letterlock.faults.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a list of recipients through the API at a steady pace on a thread of its own, a request of
 * {@code perRequest} recipients at a time, so that mail keeps arriving while a fault happens.
 * Remembers when each recipient's request was accepted, for latencies.
 */
public final class PacedSender implements AutoCloseable {

    private final MailApi api;
    private final List<String> recipients;
    private final int perRequest;
    private final double perSecond;
    private final Long sendAt;
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Throwable failure;

    /**
     * @param perSecond recipients per second, on average
     * @param sendAt    the requests' {@code send_at} (unix seconds), or null
     */
    public PacedSender(String name, MailApi api, List<String> recipients, int perRequest, double perSecond, Long sendAt) {
        this.api = api;
        this.recipients = List.copyOf(recipients);
        this.perRequest = perRequest;
        this.perSecond = perSecond;
        this.sendAt = sendAt;
        this.thread = new Thread(this::run, "sender-" + name);
        thread.setDaemon(true);
    }

    public PacedSender start() {
        thread.start();
        return this;
    }

    private void run() {
        long started = System.nanoTime();
        try {
            for (int from = 0; from < recipients.size() && !stopped; from += perRequest) {
                List<String> chunk = recipients.subList(from, Math.min(recipients.size(), from + perRequest));
                long due = started + (long) (from / perSecond * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                MailApi.Accepted ok = api.send(chunk, sendAt);
                for (String recipient : chunk) {
                    accepted.put(recipient, ok.at());
                }
                sent.addAndGet(chunk.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Recipients whose request was accepted so far. */
    public int sent() {
        return sent.get();
    }

    public Map<String, Instant> acceptedAt() {
        return Map.copyOf(accepted);
    }

    /** Waits until every request was accepted; rethrows what stopped the sender. */
    public void awaitDone(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("the sender failed after " + sent() + " recipients", failure);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the sender had sent " + sent() + " of " + recipients.size()
                    + " recipients after " + timeout);
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
