package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;
import io.letterlock.service.error.ApiException;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Optional;

/** A validated {@code PATCH /v3/user/webhooks/event/settings/standard_webhooks} body. */
@Schema(name = "StandardWebhooksPatch", description = "{\"enabled\": true} makes a secret if none signs; "
        + "{\"rotate\": true} makes a new one and keeps the old ones signing for the rotation overlap; "
        + "{\"enabled\": false} discards every secret.")
public record StandardWebhooksPatch(
        @Schema(type = SchemaType.BOOLEAN, nullable = false, description = "Required unless rotate is true.")
        @JsonProperty("enabled") Optional<Boolean> enabled,
        @Schema(type = SchemaType.BOOLEAN, nullable = false, description = "Make a new secret now; implies enabled.")
        @JsonProperty("rotate") Optional<Boolean> rotate) {

    static final String ENABLED = "enabled";
    static final String ROTATE = "rotate";

    /** What the body asks for. */
    enum Step { TURN_ON, ROTATE, TURN_OFF }

    /** @throws ApiException 400 listing every field at fault, or the contradiction */
    static StandardWebhooksPatch parse(JsonNode body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        Optional<Boolean> enabled = fields.bool(body.get(ENABLED), ENABLED);
        Optional<Boolean> rotate = fields.bool(body.get(ROTATE), ROTATE);
        fields.refuseUnknown(body, "", List.of(ENABLED, ROTATE));
        fields.throwIfAny();
        StandardWebhooksPatch patch = new StandardWebhooksPatch(enabled, rotate);
        patch.step();
        return patch;
    }

    /** @throws ApiException 400 when enabled is missing without a rotation, or a rotation turns signing off */
    Step step() {
        boolean rotating = rotate.orElse(false);
        if (!rotating) {
            return enabled.orElseThrow(SignedWebhookPatch::enabledRequired) ? Step.TURN_ON : Step.TURN_OFF;
        }
        if (!enabled.orElse(true)) {
            throw ApiException.badRequest(ROTATE, "cannot rotate while turning signing off");
        }
        return Step.ROTATE;
    }
}
