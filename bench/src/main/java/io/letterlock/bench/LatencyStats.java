package io.letterlock.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles of a set of latencies, printed in milliseconds. */
final class LatencyStats {

    private final long[] sortedNanos;

    LatencyStats(long[] nanos) {
        this.sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    /** Nearest-rank percentile. */
    double percentileMillis(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    String summary() {
        return String.format(Locale.ROOT, "n=%d  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms  max=%.2f ms",
                sortedNanos.length, percentileMillis(50), percentileMillis(90), percentileMillis(99),
                sortedNanos[sortedNanos.length - 1] / 1e6);
    }
}
