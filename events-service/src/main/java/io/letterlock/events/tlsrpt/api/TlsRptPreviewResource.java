package io.letterlock.events.tlsrpt.api;

import io.letterlock.service.auth.OperatorAccounts;
import io.letterlock.events.tlsrpt.config.TlsRptConfig;
import io.letterlock.events.tlsrpt.report.TlsReportDocument;
import io.letterlock.events.tlsrpt.report.TlsRptReportBuilder;
import io.letterlock.events.tlsrpt.store.TlsRptResults;
import io.letterlock.events.views.query.InstanceForwarder;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * For operators: the SMTP TLS report (RFC 8460) a policy domain would be sent for a UTC day, built
 * from what has been counted so far, before anything is sent. A domain's results live on one
 * instance; a request that lands elsewhere is forwarded there.
 */
@Path("/v3/operator/tls-rpt/{domain}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "TLS reports (RFC 8460)")
@SecurityRequirement(name = "bearer")
public class TlsRptPreviewResource {

    private static final LocalDate FIRST_DAY = LocalDate.EPOCH;
    private static final LocalDate LAST_DAY = LocalDate.parse("9999-12-31");

    private final TlsRptResults results;
    private final InstanceForwarder forwarder;
    private final OperatorAccounts operators;
    private final Caller caller;
    private final TlsRptConfig config;
    private final TlsRptReportBuilder reports;
    private final Clock clock;

    public TlsRptPreviewResource(TlsRptResults results, InstanceForwarder forwarder, OperatorAccounts operators,
                                 Caller caller, TlsRptConfig config, Clock clock) {
        this.clock = clock;
        this.results = results;
        this.forwarder = forwarder;
        this.operators = operators;
        this.caller = caller;
        this.config = config;
        this.reports = new TlsRptReportBuilder(config.settings());
    }

    @GET
    @Operation(summary = "The TLS report a receiving domain would be sent for a day",
            description = "Operator accounts only (letterlock.operator-accounts). date: a UTC day, YYYY-MM-DD "
                    + "(default: today, still being counted). The answer is RFC 8460's report JSON, counted so far.")
    @APIResponse(responseCode = "200", description = "The report, as it would be sent")
    @APIResponse(responseCode = "400", description = "Not a domain name, or not a date")
    @APIResponse(responseCode = "403", description = "Not an operator account")
    @APIResponse(responseCode = "404", description = "No TLS sessions with the domain that day, or TLS reports are off")
    @APIResponse(responseCode = "503", description = "Stores not ready (starting, rebalancing); see Retry-After")
    public TlsReportDocument preview(@PathParam("domain") String domain, @QueryParam("date") String date,
                                     @Context HttpHeaders headers, @Context UriInfo uri) {
        operators.require(caller);
        if (!config.enabled()) {
            throw ApiException.notFound("domain", "TLS reports are off (letterlock.tls-rpt.enabled=false)");
        }
        String policyDomain = MailDomain.parse(domain).map(MailDomain::text)
                .orElseThrow(() -> ApiException.badRequest("domain", "'" + domain + "' is not a domain name"));
        LocalDate day = day(date);
        KeyQueryMetadata owner = results.ownerOf(policyDomain);
        String query = uri.getRequestUri().getRawQuery();
        return forwarder.fromOwner(owner, uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query),
                        headers, TlsReportDocument.class)
                .orElseGet(() -> results.day(policyDomain, day, owner.partition())
                        .map(counted -> reports.build(policyDomain, day, counted))
                        .orElseThrow(() -> ApiException.notFound("domain",
                                "no TLS sessions with " + policyDomain + " on " + day)));
    }

    private LocalDate day(String date) {
        if (date == null || date.isBlank()) {
            return LocalDate.now(clock.withZone(ZoneOffset.UTC));
        }
        try {
            LocalDate day = LocalDate.parse(date.strip());
            if (day.isBefore(FIRST_DAY) || day.isAfter(LAST_DAY)) {
                throw ApiException.badRequest("date", "date must be a day from 1970-01-01 to 9999-12-31");
            }
            return day;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("date", "date must be a UTC day, YYYY-MM-DD");
        }
    }
}
