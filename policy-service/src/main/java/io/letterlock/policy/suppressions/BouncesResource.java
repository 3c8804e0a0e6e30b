package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.service.auth.Caller;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** SendGrid's {@code /v3/suppression/bounces}. Addresses whose mail bounced (a hard bounce): delivery drops mail to them, reason "Bounced Address". */
@Path("/v3/suppression/bounces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bounces")
@SecurityRequirement(name = "bearer")
public class BouncesResource extends SuppressionListEndpoints {

    public BouncesResource(SuppressionStore store, Caller caller) {
        super(store, caller, SuppressionList.BOUNCES);
    }
}
