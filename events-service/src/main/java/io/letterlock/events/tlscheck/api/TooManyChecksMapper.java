package io.letterlock.events.tlscheck.api;

import io.letterlock.events.tlscheck.service.TlsCheck.TooManyChecks;
import io.letterlock.service.error.ApiError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A TLS check refused to protect other people's servers (429, the account's probes for the minute
 * are used) or this service (503, every probe slot busy), with Retry-After and SendGrid's error body.
 */
public class TooManyChecksMapper {

    @ServerExceptionMapper
    public Response tooManyChecks(TooManyChecks e) {
        return Response.status(e.status())
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(null, e.getMessage()))
                .build();
    }
}
