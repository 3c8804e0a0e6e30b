package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.service.auth.Caller;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** SendGrid's {@code /v3/suppression/invalid_emails}. Addresses the receiving server called malformed (5.1.3): delivery drops mail to them, reason "Invalid". */
@Path("/v3/suppression/invalid_emails")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invalid emails")
@SecurityRequirement(name = "bearer")
public class InvalidEmailsResource extends SuppressionListEndpoints {

    public InvalidEmailsResource(SuppressionStore store, Caller caller) {
        super(store, caller, SuppressionList.INVALID_EMAILS);
    }
}
