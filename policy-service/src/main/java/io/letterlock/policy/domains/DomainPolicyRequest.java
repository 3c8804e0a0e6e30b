package io.letterlock.policy.domains;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.service.api.JsonFields;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Optional;

/** A validated {@code PUT /v3/user/settings/enforced_tls/domains/{domain}} body: the mode, and nothing else. */
@Schema(name = "DomainPolicyRequest", description = "The TLS level for the domain; other fields are refused.")
public record DomainPolicyRequest(
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"none", "may", "encrypt", "verify"},
                description = "none: never TLS; may: opportunistic; encrypt: TLS required, any certificate; "
                        + "verify: TLS required with a valid certificate.")
        @JsonProperty("mode") DomainTlsMode mode) {

    static final String MODE = "mode";

    /**
     * Reads the body, recording what is wrong with it in {@code fields}, beside any problem the
     * caller found already, so that one 400 lists them all.
     *
     * @return empty when the mode is missing or not one of the four
     */
    static Optional<DomainPolicyRequest> read(JsonNode body, JsonFields fields) {
        JsonNode node = body.get(MODE);
        Optional<DomainTlsMode> mode = node != null && node.isTextual()
                ? DomainTlsMode.parse(node.textValue()) : Optional.empty();
        if (mode.isEmpty()) {
            fields.problem(MODE, "mode must be one of none, may, encrypt, verify");
        }
        fields.refuseUnknown(body, "", List.of(MODE));
        return mode.map(DomainPolicyRequest::new);
    }
}
