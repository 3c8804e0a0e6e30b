package io.letterlock.policy.domains;

import io.letterlock.service.api.JsonBody;
import io.letterlock.service.api.JsonFields;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;

/**
 * Per-recipient-domain TLS policies (after Postfix's {@code smtp_tls_policy_maps}), for the calling
 * account. A Letterlock addition; SendGrid has no such endpoint.
 */
@Path("/v3/user/settings/enforced_tls/domains")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Domain TLS policies")
@SecurityRequirement(name = "bearer")
public class DomainPolicyResource {

    private final DomainPolicyStore store;
    private final Caller caller;

    public DomainPolicyResource(DomainPolicyStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List the account's domain policies, ordered by domain")
    public DomainPolicyList list() {
        return new DomainPolicyList(store.list(caller.accountId()).stream().map(DomainPolicyBody::of).toList());
    }

    @GET
    @Path("{domain}")
    @Operation(summary = "Retrieve the policy for one recipient domain")
    @APIResponse(responseCode = "200", description = "The policy")
    @APIResponse(responseCode = "404", description = "The account has no policy for this domain")
    public DomainPolicyBody get(@PathParam("domain") String domain) {
        String normalized = domain(domain);
        return store.get(caller.accountId(), normalized)
                .map(DomainPolicyBody::of)
                .orElseThrow(() -> ApiException.notFound("domain", "no policy for " + normalized));
    }

    @PUT
    @Path("{domain}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create or replace the policy for one recipient domain",
            description = "Body: {\"mode\": \"none\" | \"may\" | \"encrypt\" | \"verify\"}. Unicode domains are stored "
                    + "as A-labels.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DomainPolicyRequest.class)))
    @APIResponse(responseCode = "200", description = "The stored policy")
    @APIResponse(responseCode = "400", description = "Invalid domain or mode; nothing changed")
    public DomainPolicyBody put(@PathParam("domain") String domain, byte[] body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        String normalized = null;
        try {
            normalized = RecipientDomain.normalize(domain);
        } catch (IllegalArgumentException e) {
            fields.problem("domain", e.getMessage());
        }
        Optional<DomainPolicyRequest> request = DomainPolicyRequest.read(JsonBody.object(body), fields);
        fields.throwIfAny();
        return DomainPolicyBody.of(store.put(caller.accountId(), normalized, request.orElseThrow().mode()));
    }

    @DELETE
    @Path("{domain}")
    @Operation(summary = "Delete the policy for one recipient domain; the account's settings apply to it again")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "The account has no policy for this domain")
    public Response delete(@PathParam("domain") String domain) {
        String normalized = domain(domain);
        if (!store.delete(caller.accountId(), normalized)) {
            throw ApiException.notFound("domain", "no policy for " + normalized);
        }
        return Response.noContent().build();
    }

    private static String domain(String raw) {
        try {
            return RecipientDomain.normalize(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("domain", e.getMessage());
        }
    }
}
