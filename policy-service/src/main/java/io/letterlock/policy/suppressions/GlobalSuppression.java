package io.letterlock.policy.suppressions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** SendGrid's answer to "is this address globally unsubscribed": the address when it is, {@code {}} when not. */
@Schema(name = "GlobalSuppression", description = "recipient_email when the address is globally unsubscribed; "
        + "an empty object when it is not.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GlobalSuppression(@JsonProperty("recipient_email") String recipientEmail) {
}
