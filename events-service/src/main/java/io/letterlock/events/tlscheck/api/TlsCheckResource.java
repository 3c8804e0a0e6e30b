package io.letterlock.events.tlscheck.api;

import io.letterlock.events.tlscheck.service.TlsCheck;
import io.letterlock.events.tlscheck.service.TlsCheckAnswer;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The live TLS posture of one receiving domain: its MX hosts, STARTTLS, certificates, TLS versions,
 * and what delivery would do under each combination of the Enforced TLS settings.
 */
@Path("/v3/tls/check/{domain}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "TLS check")
@SecurityRequirement(name = "bearer")
public class TlsCheckResource {

    /** RFC 1035 §2.3.4: 255 octets on the wire, 253 as text without the trailing dot. */
    private static final int MAX_NAME_LENGTH = 253;

    private final TlsCheck check;
    private final Caller caller;

    public TlsCheckResource(TlsCheck check, Caller caller) {
        this.check = check;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Check a receiving domain's TLS now",
            description = "Resolves the domain's MX hosts, connects to each (at most 5), reports STARTTLS, the "
                    + "certificate and its verdict, the TLS versions accepted, and the outcome of mail to the domain "
                    + "under each of the four require_tls × require_valid_cert settings. No mail is sent. Answers "
                    + "are cached per domain for 10 minutes.")
    @APIResponse(responseCode = "200", description = "The domain's TLS posture; cached tells whether it was probed now")
    @APIResponse(responseCode = "400", description = "Not a domain name (an IP literal, a bad label, too long)")
    @APIResponse(responseCode = "429", description = "Too many new checks by this account; see Retry-After")
    @APIResponse(responseCode = "503", description = "Too many checks running; see Retry-After")
    public CompletionStage<TlsCheckAnswer> check(@PathParam("domain") String domain) {
        // Refusals (TooManyChecks), thrown here or failing the answer, are TooManyChecksMapper's.
        return check.check(caller.accountId(), parse(domain));
    }

    private static MailDomain parse(String domain) {
        String text = domain.strip();
        if (text.length() > MAX_NAME_LENGTH + 1) {
            throw ApiException.badRequest("domain", "domain is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (MailDomain.looksLikeAddress(text)) {
            throw ApiException.badRequest("domain", "domain must be a domain name, not an IP address");
        }
        Optional<MailDomain> parsed = MailDomain.parse(text);
        if (parsed.isEmpty() || parsed.get().text().indexOf('.') < 0) {
            throw ApiException.badRequest("domain", "domain must be a fully qualified domain name, e.g. example.com");
        }
        if (parsed.get().text().length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("domain", "domain is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return parsed.get();
    }
}
