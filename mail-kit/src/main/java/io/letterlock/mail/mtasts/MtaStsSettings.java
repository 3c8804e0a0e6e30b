package io.letterlock.mail.mtasts;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link MtaStsPolicies} keeps policies fresh. Plain values: the service reads them from its
 * own configuration keys.
 *
 * @param refreshInterval       a kept policy is fetched again once it is this old, or half its
 *                              max_age if that is sooner (RFC 8461 §3.3 suggests daily)
 * @param retryAfterFailedFetch a failed fetch of one policy id is not tried again sooner
 *                              (RFC 8461 §3.3 suggests five minutes or longer)
 * @param maxRecordTtl          longest a {@code _mta-sts} TXT answer is reused: how late a new id
 *                              may be noticed
 * @param recordFailureTtl      how long a failed TXT lookup is remembered
 * @param maxDomains            most domains whose TXT answers and failed fetches are remembered
 */
public record MtaStsSettings(Duration refreshInterval, Duration retryAfterFailedFetch, Duration maxRecordTtl,
                             Duration recordFailureTtl, int maxDomains) {

    public MtaStsSettings {
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(retryAfterFailedFetch, "retryAfterFailedFetch");
        Objects.requireNonNull(maxRecordTtl, "maxRecordTtl");
        Objects.requireNonNull(recordFailureTtl, "recordFailureTtl");
        if (maxDomains < 1) {
            throw new IllegalArgumentException("maxDomains must be at least 1, not " + maxDomains);
        }
    }

    /** Refresh daily, retry a failed id after 5 min, reuse TXT answers up to 5 min, failures 5 s. */
    public static MtaStsSettings defaults() {
        return new MtaStsSettings(Duration.ofDays(1), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofSeconds(5), 100_000);
    }
}
