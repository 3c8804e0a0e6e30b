package io.letterlock.policy.suppressions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The body of {@code POST /v3/asm/groups} (name required) and {@code PATCH /v3/asm/groups/{id}}
 * (any subset): SendGrid's fields and limits.
 *
 * @param name        null when not given
 * @param description null when not given
 * @param isDefault   null when not given
 */
@Schema(name = "UnsubscribeGroupRequest", description = "name (1–30 characters; required to create), "
        + "description (at most 100), is_default.")
public record UnsubscribeGroupRequest(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("is_default") Boolean isDefault) {

    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String IS_DEFAULT = "is_default";
    static final int MAX_NAME = 30;
    static final int MAX_DESCRIPTION = 100;

    /** @throws io.letterlock.service.error.ApiException 400 naming every problem */
    static UnsubscribeGroupRequest read(JsonNode body, boolean creating) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        fields.refuseUnknown(body, "", List.of(NAME, DESCRIPTION, IS_DEFAULT));
        String name = fields.text(body.get(NAME), NAME, MAX_NAME).orElse(null);
        if (name != null && name.isBlank()) {
            fields.problem(NAME, "name must not be blank");
        }
        if (creating && fields.isAbsent(body.get(NAME))) {
            fields.problem(NAME, "name is required");
        }
        String description = fields.text(body.get(DESCRIPTION), DESCRIPTION, MAX_DESCRIPTION).orElse(null);
        Boolean isDefault = fields.bool(body.get(IS_DEFAULT), IS_DEFAULT).orElse(null);
        fields.throwIfAny();
        return new UnsubscribeGroupRequest(name, description, isDefault);
    }
}
