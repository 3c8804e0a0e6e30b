package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.service.auth.Caller;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** SendGrid's {@code /v3/suppression/spam_reports}. Addresses that reported mail as spam: delivery drops mail to them, reason "Spam Reporting Address". Letterlock receives no feedback-loop reports yet, so nothing fills this list; it is here for SendGrid's clients. */
@Path("/v3/suppression/spam_reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Spam reports")
@SecurityRequirement(name = "bearer")
public class SpamReportsResource extends SuppressionListEndpoints {

    public SpamReportsResource(SuppressionStore store, Caller caller) {
        super(store, caller, SuppressionList.SPAM_REPORTS);
    }
}
