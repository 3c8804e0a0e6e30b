package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;
import io.letterlock.service.error.ApiException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Optional;

/** A validated {@code PATCH /v3/user/webhooks/event/settings/signed} body, as SendGrid's API takes it. */
@Schema(name = "SignedEventWebhookPatch", description = "Signing on (a new key pair unless there is one) or off "
        + "(the pair discarded).")
public record SignedWebhookPatch(
        @Schema(required = true) @JsonProperty("enabled") boolean enabled) {

    static final String ENABLED = "enabled";

    /** @throws ApiException 400 listing every field at fault */
    static SignedWebhookPatch parse(JsonNode body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        Optional<Boolean> enabled = fields.bool(body.get(ENABLED), ENABLED);
        fields.refuseUnknown(body, "", List.of(ENABLED));
        fields.throwIfAny();
        return new SignedWebhookPatch(enabled.orElseThrow(SignedWebhookPatch::enabledRequired));
    }

    static ApiException enabledRequired() {
        return ApiException.badRequest(ENABLED, "enabled is required (true or false)");
    }
}
