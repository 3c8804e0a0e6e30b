package io.letterlock.events.webhooks.dispatch;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gathers the events of each webhook (each account's, and each of its several webhooks' apart) into
 * batches, like SendGrid's Event Webhook: a batch closes when
 * one more event would take its body past {@code maxBytes} (768 KiB by default) or when its first
 * event has waited {@code maxAge} (5 s). The body is built as the events come: {@code [e1,e2,…]}
 * from the records' own bytes, so what is signed is exactly what is sent. An event bigger than
 * {@code maxBytes} on its own still goes, alone. Not thread-safe: the dispatcher's thread owns it.
 */
public final class BatchAssembler {

    private final int maxBytes;
    private final long maxAgeNanos;
    private final Map<String, Open> open = new HashMap<>();
    private int openEvents;

    public BatchAssembler(int maxBytes, java.time.Duration maxAge) {
        if (maxBytes < 2) {
            throw new IllegalArgumentException("letterlock.webhook.batch.max-bytes must be at least 2: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /**
     * Adds one event; returns the batches this closed (the account's previous one, when the event
     * did not fit, and this one, when it fills it alone).
     *
     * @param nowNanos {@link System#nanoTime()} now, for the age limit
     */
    public List<OutgoingBatch> add(String accountId, byte[] event, EventRef ref, long nowNanos, Instant now) {
        return add(accountId, accountId, event, ref, nowNanos, now);
    }

    /**
     * Adds one event for one of the account's webhooks, by its key on letterlock.webhooks; each
     * webhook's batches are apart, so one's fill and age never hold another's.
     */
    public List<OutgoingBatch> add(String webhookKey, String accountId, byte[] event, EventRef ref, long nowNanos,
                                   Instant now) {
        List<OutgoingBatch> closed = new ArrayList<>(1);
        Open batch = open.get(webhookKey);
        if (batch != null && batch.sizeWith(event) > maxBytes) {
            closed.add(close(batch, now));
            open.remove(webhookKey);
            batch = null;
        }
        if (batch == null) {
            batch = new Open(webhookKey, accountId, nowNanos);
            open.put(webhookKey, batch);
        }
        batch.add(event, ref);
        openEvents++;
        // Full (or one event alone past the limit): no further event can join it.
        if (batch.closedSize() >= maxBytes) {
            closed.add(close(batch, now));
            open.remove(webhookKey);
        }
        return closed;
    }

    /** Closes every batch whose first event has waited {@code maxAge}. */
    public List<OutgoingBatch> closeAged(long nowNanos, Instant now) {
        List<OutgoingBatch> closed = new ArrayList<>();
        for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
            Open batch = it.next();
            if (nowNanos - batch.openedNanos >= maxAgeNanos) {
                closed.add(close(batch, now));
                it.remove();
            }
        }
        return closed;
    }

    /** Closes every open batch (on shutdown, or before the dispatcher gives up partitions). */
    public List<OutgoingBatch> closeAll(Instant now) {
        List<OutgoingBatch> closed = new ArrayList<>(open.size());
        open.values().forEach(batch -> closed.add(close(batch, now)));
        open.clear();
        return closed;
    }

    /** Nanos until the oldest open batch closes by age; {@code Long.MAX_VALUE} when none is open. */
    public long nanosUntilNextClose(long nowNanos) {
        long next = Long.MAX_VALUE;
        for (Open batch : open.values()) {
            next = Math.min(next, Math.max(0, batch.openedNanos + maxAgeNanos - nowNanos));
        }
        return next;
    }

    /**
     * Closes the fullest open batches, biggest first, until at most {@code maxOpenEvents} events wait
     * in open batches. With many endpoints none may fill before the memory cap is reached; sending
     * the biggest early keeps events flowing instead of stopping all reading until batches age out.
     */
    public List<OutgoingBatch> closeLargest(int maxOpenEvents, Instant now) {
        List<OutgoingBatch> closed = new ArrayList<>();
        if (openEvents <= maxOpenEvents) {
            return closed;
        }
        List<Open> bySize = new ArrayList<>(open.values());
        bySize.sort((a, b) -> Integer.compare(b.body.size(), a.body.size()));
        for (Open batch : bySize) {
            if (openEvents <= maxOpenEvents) {
                break;
            }
            open.remove(batch.webhookKey);
            closed.add(close(batch, now));
        }
        return closed;
    }

    /** Events waiting in open batches. */
    public int openEvents() {
        return openEvents;
    }

    private OutgoingBatch close(Open batch, Instant now) {
        openEvents -= batch.count;
        return batch.close(now);
    }

    private static final class Open {
        final String webhookKey;
        final String accountId;
        final long openedNanos;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final List<EventRef> refs = new ArrayList<>();
        int count;

        Open(String webhookKey, String accountId, long openedNanos) {
            this.webhookKey = webhookKey;
            this.accountId = accountId;
            this.openedNanos = openedNanos;
            body.write('[');
        }

        /** The body's size with this event added and the array closed. */
        int sizeWith(byte[] event) {
            return body.size() + (count == 0 ? 0 : 1) + event.length + 1;
        }

        int closedSize() {
            return body.size() + 1;
        }

        void add(byte[] event, EventRef ref) {
            if (count > 0) {
                body.write(',');
            }
            body.writeBytes(event);
            if (ref != null) {
                refs.add(ref);
            }
            count++;
        }

        OutgoingBatch close(Instant now) {
            body.write(']');
            return new OutgoingBatch(accountId, webhookKey, UUID.randomUUID().toString(), body.toByteArray(), count,
                    now, 0, refs);
        }
    }
}
