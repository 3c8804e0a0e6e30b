package io.letterlock.mail.mtasts;

import java.time.Instant;
import java.util.Objects;

/**
 * The last failed fetch of a domain's policy: remembered so that the next tries of the same policy
 * version wait a while (RFC 8461 §3.3) and so that lookups meanwhile can say why there is no
 * fresh policy.
 *
 * @param id      the TXT record's id the fetch was for
 * @param at      when it failed
 * @param failure what went wrong, for TLS-RPT
 */
public record FailedFetch(String id, Instant at, PolicyFetch.FetchFailed failure) {

    public FailedFetch {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(failure, "failure");
    }
}
