package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;

/**
 * An account's TLS level for one recipient domain; it overrides the account's
 * {@link TlsSettings} flags for that domain. The value of a record on
 * {@link Topics#DOMAIN_POLICIES}, keyed by {@link Topics#domainPolicyKey}.
 *
 * @param domain the recipient domain as an A-label in lower case, without a trailing dot
 */
public record DomainPolicy(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("domain") String domain,
        @JsonProperty("mode") DomainTlsMode mode,
        @JsonProperty("updated_at") Instant updatedAt) {

    public DomainPolicy {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mode, "mode");
    }
}
