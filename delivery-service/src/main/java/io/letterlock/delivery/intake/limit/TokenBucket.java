package io.letterlock.delivery.intake.limit;

/**
 * A steady rate with room for bursts: tokens refill at {@code perSecond} up to {@code capacity},
 * and something costing n tokens may happen when n are there. It starts full. Not thread-safe:
 * whoever holds one guards it.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;
    /** A millionth of a token: about what doubles lose adding up many small refills. */
    private static final double ROUNDING = 1e-6;

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    TokenBucket(double perSecond, double capacity, long nowNanos) {
        if (!(perSecond > 0) || !(capacity >= 1)) {
            throw new IllegalArgumentException("a token bucket needs a rate above 0 and room for at least 1: "
                    + perSecond + "/s, " + capacity);
        }
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.refilledAt = nowNanos;
    }

    double capacity() {
        return capacity;
    }

    /**
     * How long until {@code cost} tokens are there, in nanoseconds; 0 when they are now.
     *
     * @throws IllegalArgumentException when {@code cost} is more than the bucket ever holds
     */
    long nanosUntil(double cost, long nowNanos) {
        if (cost > capacity) {
            throw new IllegalArgumentException("a cost of " + cost + " never fits a bucket of " + capacity);
        }
        refill(nowNanos);
        return tokens + ROUNDING >= cost ? 0 : (long) Math.ceil((cost - tokens) / perSecond * NANOS_PER_SECOND);
    }

    /** Takes {@code cost} tokens; call only when {@link #nanosUntil} said they are there. */
    void take(double cost) {
        tokens -= cost;
    }

    /** Returns tokens taken for something that then did not happen. */
    void giveBack(double cost) {
        tokens = Math.min(capacity, tokens + cost);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perSecond / NANOS_PER_SECOND);
            refilledAt = nowNanos;
        }
    }
}
