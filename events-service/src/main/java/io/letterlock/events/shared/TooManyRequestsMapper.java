package io.letterlock.events.shared;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 429 with Retry-After (RFC 6585 §4) and SendGrid's error body, so a client knows when to ask again. */
public class TooManyRequestsMapper {

    @ServerExceptionMapper
    public Response tooManyRequests(TooManyRequestsException e) {
        return Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .entity(e.body()).build();
    }
}
