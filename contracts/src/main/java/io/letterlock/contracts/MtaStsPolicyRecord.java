package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;

/**
 * A receiving domain's MTA-STS policy as delivery fetched it (RFC 8461 §3.3) and keeps it until its
 * {@code max_age} ends (§5.1): the value of a record on {@link Topics#MTA_STS_POLICIES}, keyed by the
 * policy domain. Kept on Kafka so that every delivery replica shares one fetch and a restart
 * forgets nothing an attacker could exploit (a policy unknown after a restart is a downgrade).
 *
 * @param domain     the policy domain (the recipient domain, lower-case A-labels)
 * @param id         the {@code id} of the {@code _mta-sts} TXT record the policy was fetched under
 * @param policyText the policy file exactly as served; readers parse it again
 * @param fetchedAt  when it was fetched
 * @param expiresAt  {@code fetched_at + max_age}: never applied from then on
 */
public record MtaStsPolicyRecord(
        @JsonProperty("domain") String domain,
        @JsonProperty("id") String id,
        @JsonProperty("policy_text") String policyText,
        @JsonProperty("fetched_at") Instant fetchedAt,
        @JsonProperty("expires_at") Instant expiresAt) {

    public MtaStsPolicyRecord {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policyText, "policyText");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
