package io.letterlock.faults.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A set of measured delays, summarised as percentiles. */
public final class Latencies {

    private final List<Duration> values;

    public Latencies(List<Duration> values) {
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        this.values = List.copyOf(sorted);
    }

    public int count() {
        return values.size();
    }

    /** The {@code p}-th percentile (nearest rank), zero when there are none. */
    public Duration percentile(double p) {
        if (values.isEmpty()) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(p / 100.0 * values.size());
        return values.get(Math.max(0, Math.min(values.size() - 1, rank - 1)));
    }

    public Duration p50() {
        return percentile(50);
    }

    public Duration p99() {
        return percentile(99);
    }

    @Override
    public String toString() {
        return String.format("p50 %.2f s, p99 %.2f s (%d)", p50().toMillis() / 1000.0, p99().toMillis() / 1000.0, count());
    }
}
