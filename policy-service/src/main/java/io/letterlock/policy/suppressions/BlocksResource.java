package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.service.auth.Caller;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** SendGrid's {@code /v3/suppression/blocks}. Addresses whose mail was blocked (refused for a reason other than the address) or expired undelivered; as at SendGrid, later mail to them is still sent. */
@Path("/v3/suppression/blocks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Blocks")
@SecurityRequirement(name = "bearer")
public class BlocksResource extends SuppressionListEndpoints {

    public BlocksResource(SuppressionStore store, Caller caller) {
        super(store, caller, SuppressionList.BLOCKS);
    }
}
