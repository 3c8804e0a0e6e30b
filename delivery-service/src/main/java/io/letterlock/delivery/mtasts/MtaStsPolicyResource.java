package io.letterlock.delivery.mtasts;

import io.letterlock.service.auth.OperatorAccounts;
import io.letterlock.contracts.MtaStsPolicyRecord;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What delivery keeps of a receiving domain's MTA-STS policy, for operators: see it, and purge it
 * when the domain fixed a broken policy and should not wait out its {@code max_age} (users of
 * other MTAs ask for exactly this). A purge reaches every replica through the topic; the next
 * message to the domain fetches the policy again.
 */
@Path("/v3/operator/mta-sts/{domain}")
@Produces(MediaType.APPLICATION_JSON)
public class MtaStsPolicyResource {

    private final MtaStsPolicyTopic policies;
    private final OperatorAccounts operators;
    private final Caller caller;
    private final Clock clock;

    public MtaStsPolicyResource(MtaStsPolicyTopic policies, OperatorAccounts operators, Caller caller, Clock clock) {
        this.clock = clock;
        this.policies = policies;
        this.operators = operators;
        this.caller = caller;
    }

    @GET
    public Map<String, Object> get(@PathParam("domain") String domain) {
        operators.require(caller);
        String name = domainName(domain);
        MtaStsPolicyRecord record = policies.record(name)
                .orElseThrow(() -> ApiException.notFound("domain", "no MTA-STS policy is kept for " + name));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("domain", record.domain());
        view.put("id", record.id());
        if (MtaStsPolicy.parse(record.policyText()) instanceof ParsedPolicy.Valid valid) {
            view.put("mode", valid.policy().mode().name().toLowerCase(java.util.Locale.ROOT));
            view.put("mx", valid.policy().mx().stream().map(Object::toString).toList());
            view.put("max_age", valid.policy().maxAge().toSeconds());
        }
        view.put("fetched_at", record.fetchedAt().toString());
        view.put("expires_at", record.expiresAt().toString());
        view.put("expired", !clock.instant().isBefore(record.expiresAt()));
        view.put("policy_text", record.policyText());
        return view;
    }

    @DELETE
    public Response purge(@PathParam("domain") String domain) {
        operators.require(caller);
        String name = domainName(domain);
        if (policies.record(name).isEmpty()) {
            throw ApiException.notFound("domain", "no MTA-STS policy is kept for " + name);
        }
        policies.remove(name);
        return Response.noContent().build();
    }

    private static String domainName(String text) {
        return MailDomain.parse(text).map(MailDomain::text)
                .orElseThrow(() -> ApiException.badRequest("domain", "'" + text + "' is not a domain name"));
    }
}
