package io.letterlock.policy.enforcedtls;

import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** SendGrid's v3 Enforced TLS settings, for the calling account. */
@Path("/v3/user/settings/enforced_tls")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Enforced TLS")
@SecurityRequirement(name = "bearer")
public class EnforcedTlsResource {

    private final TlsSettingsStore store;
    private final Caller caller;

    public EnforcedTlsResource(TlsSettingsStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Retrieve Enforced TLS settings")
    @APIResponse(responseCode = "200", description = "The settings; an account that never set any gets both flags false")
    public EnforcedTls get() {
        return EnforcedTls.of(store.get(caller.accountId()));
    }

    @PATCH
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update Enforced TLS settings",
            description = "Any subset of require_tls, require_valid_cert and version. Returns the full settings once "
                    + "Kafka has stored them. Unknown fields and wrong types are refused with 400 and change nothing.")
    @RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = EnforcedTls.class)))
    @APIResponse(responseCode = "200", description = "The updated settings")
    @APIResponse(responseCode = "400", description = "Malformed body or invalid field; nothing changed")
    @APIResponse(responseCode = "503", description = "Kafka did not store the change, or other servers kept changing "
            + "this account's settings first (then with Retry-After); nothing changed")
    public EnforcedTls patch(byte[] body) {
        TlsSettingsPatch patch = TlsSettingsPatch.parse(JsonBody.object(body));
        return EnforcedTls.of(store.update(caller.accountId(), patch));
    }
}
