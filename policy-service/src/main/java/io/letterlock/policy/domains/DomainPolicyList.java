package io.letterlock.policy.domains;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

@Schema(name = "DomainPolicyList", description = "The account's domain policies.")
public record DomainPolicyList(
        @Schema(description = "Ordered by domain.") @JsonProperty("domains") List<DomainPolicyBody> domains) {
}
