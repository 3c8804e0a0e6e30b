package io.letterlock.policy.suppressions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * SendGrid's body of the unsubscribe endpoints, {@code {"recipient_emails": [...]}}: the addresses
 * to add, and, in the 201 answer, the addresses added (in lower case, duplicates once).
 */
@Schema(name = "RecipientEmails", description = "Addresses to unsubscribe (at most 1000).")
public record RecipientEmails(
        @Schema(required = true, description = "Email addresses.") @JsonProperty("recipient_emails") List<String> recipientEmails) {

    static final String RECIPIENT_EMAILS = "recipient_emails";

    /** @throws io.letterlock.service.error.ApiException 400 naming every problem */
    static RecipientEmails read(JsonNode body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        fields.refuseUnknown(body, "", List.of(RECIPIENT_EMAILS));
        List<String> emails = EmailList.read(body.get(RECIPIENT_EMAILS), RECIPIENT_EMAILS, fields);
        fields.throwIfAny();
        return new RecipientEmails(emails);
    }
}
