package io.letterlock.events.report.api;

import io.letterlock.events.report.store.TlsReportFinder;
import io.letterlock.events.report.store.TlsReportRequest;
import io.letterlock.events.views.query.InstanceForwarder;
import io.letterlock.service.auth.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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

/**
 * The TLS adoption report of the calling account: per recipient domain, how much of its mail went
 * over TLS, with a valid certificate, and what went wrong. One account's report lives on one
 * instance; a request that lands elsewhere is forwarded there whole.
 */
@Path("/v3/tls/report")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "TLS report")
@SecurityRequirement(name = "bearer")
public class TlsReportResource {

    private final TlsReportFinder finder;
    private final InstanceForwarder forwarder;
    private final Caller caller;
    private final Clock clock;

    public TlsReportResource(TlsReportFinder finder, InstanceForwarder forwarder, Caller caller, Clock clock) {
        this.finder = finder;
        this.forwarder = forwarder;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "TLS adoption per recipient domain",
            description = "from/to: ISO-8601 dates or instants, whole UTC days (default: the last 7 days). sort: "
                    + "volume (default, most messages first), -volume, tls_share (worst first), -tls_share, "
                    + "valid_cert_share (worst first), -valid_cert_share, domain, "
                    + "-domain. limit 1–500 (default 50), offset ≥ 0.")
    @APIResponse(responseCode = "200", description = "The report over the range")
    @APIResponse(responseCode = "400", description = "A malformed parameter, named in the error")
    @APIResponse(responseCode = "503", description = "Stores not ready (starting, rebalancing); see Retry-After")
    public TlsReportBody report(@QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("sort") String sort,
                                @QueryParam("limit") String limit,
                                @QueryParam("offset") String offset,
                                @Context HttpHeaders headers, @Context UriInfo uri) {
        TlsReportRequest request = TlsReportRequest.parse(from, to, sort, limit, offset,
                LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        KeyQueryMetadata owner = finder.ownerOf(caller.accountId());
        String query = uri.getRequestUri().getRawQuery();
        return forwarder.fromOwner(owner, "/v3/tls/report" + (query == null ? "" : "?" + query), headers,
                        TlsReportBody.class)
                .orElseGet(() -> TlsReportBody.of(request, finder.report(caller.accountId(), request, owner.partition())));
    }
}
