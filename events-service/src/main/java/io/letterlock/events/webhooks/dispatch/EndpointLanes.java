package io.letterlock.events.webhooks.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many POSTs each endpoint (each webhook, by its key: an account's webhooks are apart) has
 * open, and whether its last one failed. This is what keeps a
 * slow, dead or hostile endpoint from delaying anyone else: it gets at most {@code maxInFlight}
 * POSTs at once; a fresh batch that finds its endpoint busy or failing is not held for it but
 * handed to the retry topic, so the events' offsets move on and other accounts' batches never
 * wait behind it. Thread-safe; POSTs end on Vert.x's threads.
 */
public final class EndpointLanes {

    private final int maxInFlight;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    public EndpointLanes(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("letterlock.webhook.max-in-flight-per-endpoint must be at least 1: "
                    + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /** Why a batch could not start now. */
    public enum Refusal { NONE, BUSY, FAILING }

    /**
     * Takes a slot for one POST to the account's endpoint.
     *
     * @param evenIfFailing true for retries, which are how a failing endpoint gets tried again
     */
    public Refusal tryAcquire(String webhookKey, boolean evenIfFailing) {
        Lane lane = lanes.computeIfAbsent(webhookKey, id -> new Lane());
        synchronized (lane) {
            if (lane.failing && !evenIfFailing) {
                return Refusal.FAILING;
            }
            if (lane.inFlight >= maxInFlight) {
                return Refusal.BUSY;
            }
            lane.inFlight++;
            return Refusal.NONE;
        }
    }

    /** Gives back the slot of a POST that ended; {@code delivered} false marks the endpoint failing. */
    public void release(String webhookKey, PostResult result) {
        Lane lane = lanes.get(webhookKey);
        if (lane == null) {
            return;
        }
        synchronized (lane) {
            lane.inFlight--;
            switch (result.verdict()) {
                case DELIVERED:
                    lane.failing = false;
                    break;
                case RETRY:
                    lane.failing = true;
                    break;
                default:
                    // Gone or not enabled: the next batch finds out for itself.
                    lane.failing = false;
            }
        }
    }

    /** POSTs open now, all endpoints together. */
    public int inFlight() {
        int total = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                total += lane.inFlight;
            }
        }
        return total;
    }


    private static final class Lane {
        int inFlight;
        boolean failing;
    }
}
