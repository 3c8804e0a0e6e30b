package io.letterlock.delivery.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The wait topics of the retry scheduler's delay queue: one per delay, named after the retry topic
 * ({@code letterlock.send-jobs.retry.wait-1h}). A job still waiting goes to the longest delay it
 * can wait in full, so a job three days off takes a dozen or so hops, each written once.
 */
public final class RetryTiers {

    private final List<Duration> delays;

    /**
     * @param delays the delays, each at least a second; in any order
     */
    public RetryTiers(List<Duration> delays) {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("letterlock.retry.scheduler.wait-tiers needs at least one delay");
        }
        List<Duration> sorted = new ArrayList<>(delays.stream().distinct().sorted().toList());
        if (sorted.get(0).compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("letterlock.retry.scheduler.wait-tiers: each delay is at least 1s: "
                    + sorted.get(0));
        }
        this.delays = List.copyOf(sorted);
    }

    /** The shortest delay: jobs due sooner are held in memory. */
    public Duration shortest() {
        return delays.get(0);
    }

    /** Every wait topic of this retry topic. */
    public List<String> topics(String retryTopic) {
        return delays.stream().map(delay -> topic(retryTopic, delay)).toList();
    }

    /** The wait topic for a job with this much still to wait: the longest delay that fits, else the shortest. */
    public String topicFor(String retryTopic, Duration left) {
        Duration chosen = shortest();
        for (Duration delay : delays) {
            if (delay.compareTo(left) <= 0) {
                chosen = delay;
            }
        }
        return topic(retryTopic, chosen);
    }

    /** The delay of this wait topic; null when it is not one (the retry topic itself). */
    public Duration delayOf(String retryTopic, String topic) {
        for (Duration delay : delays) {
            if (Objects.equals(topic(retryTopic, delay), topic)) {
                return delay;
            }
        }
        return null;
    }

    static String topic(String retryTopic, Duration delay) {
        return retryTopic + ".wait-" + label(delay);
    }

    private static String label(Duration delay) {
        long seconds = delay.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
