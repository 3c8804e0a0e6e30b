package io.letterlock.service.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The wait topics of a {@link DelayQueue}: one per delay, named after the queue's input topic
 * ({@code letterlock.send-jobs.retry.wait-1h}, {@code letterlock.webhooks.retry.wait-30s}). A record
 * still waiting goes to the longest delay it can wait in full, so one three days off takes a dozen
 * or so hops, each written once.
 */
public final class WaitTiers {

    private final List<Duration> delays;

    /**
     * @param delays the delays, each at least a second; in any order
     */
    public WaitTiers(List<Duration> delays) {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a delay queue needs at least one wait tier");
        }
        List<Duration> sorted = new ArrayList<>(delays.stream().distinct().sorted().toList());
        if (sorted.get(0).compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("each wait tier is at least 1s: " + sorted.get(0));
        }
        this.delays = List.copyOf(sorted);
    }

    /** The tiers of a configuration key: an error names the key. */
    public static WaitTiers configured(String key, List<Duration> delays) {
        try {
            return new WaitTiers(delays);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** The shortest delay: records due sooner are held in memory. */
    public Duration shortest() {
        return delays.get(0);
    }

    /** Every wait topic of this input topic. */
    public List<String> topics(String inputTopic) {
        return delays.stream().map(delay -> topic(inputTopic, delay)).toList();
    }

    /** The wait topic for a record with this much still to wait: the longest delay that fits, else the shortest. */
    public String topicFor(String inputTopic, Duration left) {
        Duration chosen = shortest();
        for (Duration delay : delays) {
            if (delay.compareTo(left) <= 0) {
                chosen = delay;
            }
        }
        return topic(inputTopic, chosen);
    }

    /** The delay of this wait topic; null when it is not one (the input topic itself). */
    public Duration delayOf(String inputTopic, String topic) {
        for (Duration delay : delays) {
            if (Objects.equals(topic(inputTopic, delay), topic)) {
                return delay;
            }
        }
        return null;
    }

    /** The wait topic of one delay: {@code <input topic>.wait-<delay>}, the delay as 30s, 10m or 6h. */
    public static String topic(String inputTopic, Duration delay) {
        return inputTopic + ".wait-" + label(delay);
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
