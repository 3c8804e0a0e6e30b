package io.letterlock.faults.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A set of jobs and how far they got: each job is one recipient of its own, so the SMTP servers'
 * receipts and the events' {@code email} tell which job arrived and which ended how.
 */
public final class Jobs {

    private final List<String> recipients;
    private final MailServers mx;
    private final EventLog events;

    public Jobs(Collection<String> recipients, MailServers mx, EventLog events) {
        this.recipients = List.copyOf(recipients);
        this.mx = mx;
        this.events = events;
    }

    /** {@code count} recipients {@code <prefix>-<n>@<domain>}, spread round-robin over {@code domains}. */
    public static List<String> recipients(String prefix, int count, List<String> domains) {
        List<String> recipients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            recipients.add((prefix + "-" + i + "@" + domains.get(i % domains.size())).toLowerCase(Locale.ROOT));
        }
        return recipients;
    }

    public List<String> recipients() {
        return recipients;
    }

    public int size() {
        return recipients.size();
    }

    /** True when every job arrived at an SMTP server and has a final event. */
    public boolean allArrivedAndEnded() {
        Map<String, Integer> receipts = mx.receipts();
        Map<String, Long> finals = events.refresh().finalsByRecipient();
        return receipts.keySet().containsAll(recipients) && finals.keySet().containsAll(recipients);
    }

    /** Waits for {@link #allArrivedAndEnded()}, then until nothing more arrives for 3 s (late duplicates). */
    public boolean awaitAll(Rig rig, Duration timeout) {
        boolean all = rig.awaitUntil(timeout, this::allArrivedAndEnded);
        rig.settle(Duration.ofSeconds(3), Duration.ofSeconds(20), this::state);
        return all;
    }

    /** Changes whenever a message arrives or an event is written. */
    public Object state() {
        return List.of(mx.receivedCount(), events.refresh().entries().size());
    }

    public Counts counts() {
        return Counts.of(recipients, mx.receipts(), events.refresh().finalsByRecipient());
    }

    /** Jobs that arrived more than once. */
    public Set<String> duplicated() {
        Map<String, Integer> receipts = mx.receipts();
        return Set.copyOf(recipients.stream().filter(r -> receipts.getOrDefault(r, 0) > 1).toList());
    }

    /** A few examples of {@code set}, for a failure message. */
    public static String sample(Collection<String> set) {
        return set.stream().sorted().limit(5).toList() + (set.size() > 5 ? " and " + (set.size() - 5) + " more" : "");
    }
}
