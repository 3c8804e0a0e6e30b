package io.letterlock.policy.domains;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

@Schema(name = "DomainPolicy", description = "An account's TLS level for one recipient domain; it overrides the "
        + "account's require_tls and require_valid_cert for that domain.")
public record DomainPolicyBody(
        @Schema(description = "Recipient domain as an A-label in lower case.") @JsonProperty("domain") String domain,
        @Schema(description = "none: never TLS; may: opportunistic; encrypt: TLS required, any certificate; "
                + "verify: TLS required with a valid certificate.") @JsonProperty("mode") DomainTlsMode mode,
        @JsonProperty("updated_at") Instant updatedAt) {

    static DomainPolicyBody of(DomainPolicy policy) {
        return new DomainPolicyBody(policy.domain(), policy.mode(), policy.updatedAt());
    }
}
