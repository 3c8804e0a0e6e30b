package io.letterlock.policy.suppressions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The body of SendGrid's {@code DELETE /v3/suppression/<list>}: {@code {"delete_all": true}} or
 * {@code {"emails": [...]}}, one or the other.
 */
@Schema(name = "DeleteSuppressionsRequest", description = "Either delete_all: true, or the emails to take off the list.")
public record DeleteRequest(
        @Schema(description = "Take every address off the list.") @JsonProperty("delete_all") boolean deleteAll,
        @Schema(description = "The addresses to take off the list.") @JsonProperty("emails") List<String> emails) {

    static final String DELETE_ALL = "delete_all";
    static final String EMAILS = "emails";

    /** @throws io.letterlock.service.error.ApiException 400 naming every problem */
    static DeleteRequest read(JsonNode body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        fields.refuseUnknown(body, "", List.of(DELETE_ALL, EMAILS));
        boolean all = fields.bool(body.get(DELETE_ALL), DELETE_ALL).orElse(false);
        List<String> emails = List.of();
        if (body.has(EMAILS)) {
            emails = EmailList.read(body.get(EMAILS), EMAILS, fields);
        }
        if (all == body.has(EMAILS)) {
            fields.problem(DELETE_ALL, "give either delete_all: true or emails, one of the two");
        }
        fields.throwIfAny();
        return new DeleteRequest(all, emails);
    }
}
