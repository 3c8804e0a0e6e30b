package io.letterlock.faults.harness;

import java.util.Collection;
import java.util.Map;

/**
 * A scenario's figures at the receiving side, per job (each job has a recipient of its own).
 *
 * @param sent           jobs the API accepted (or, for webhooks, events on {@code letterlock.events})
 * @param received       of those, how many arrived at least once
 * @param duplicates     arrivals beyond the first, summed over the jobs
 * @param lost           sent but never arrived
 * @param finalEvents    final events (delivered, bounce, dropped) on {@code letterlock.events} for them
 * @param notExactlyOneFinal jobs with no final event or more than one
 */
public record Counts(int sent, int received, int duplicates, int lost, long finalEvents, int notExactlyOneFinal) {

    /**
     * @param keys     what was sent (recipients, lower case as everywhere in the suite, or event ids)
     * @param arrivals key → how many times it arrived
     * @param finals   key → final events for it; null where finals do not apply
     */
    public static Counts of(Collection<String> keys, Map<String, Integer> arrivals, Map<String, Long> finals) {
        int received = 0;
        int duplicates = 0;
        long finalEvents = 0;
        int notOne = 0;
        for (String key : keys) {
            int arrived = arrivals.getOrDefault(key, 0);
            if (arrived > 0) {
                received++;
                duplicates += arrived - 1;
            }
            if (finals != null) {
                long f = finals.getOrDefault(key, 0L);
                finalEvents += f;
                if (f != 1) {
                    notOne++;
                }
            }
        }
        return new Counts(keys.size(), received, duplicates, keys.size() - received, finalEvents,
                finals == null ? 0 : notOne);
    }

    @Override
    public String toString() {
        return "sent=" + sent + " received=" + received + " duplicates=" + duplicates + " lost=" + lost
                + " final-events=" + finalEvents + " jobs-without-exactly-one-final=" + notExactlyOneFinal;
    }
}
