package io.letterlock.events.views.api;

import io.letterlock.events.views.query.StoresUnavailableException;
import io.letterlock.service.error.ApiError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Queries that meet stores which are starting, restoring or moving between instances get a 503
 * with Retry-After: the client should simply ask again in a moment; a 500 would say something broke.
 */
public class StoresUnavailableMapper {

    static final String RETRY_AFTER_SECONDS = "2";

    @ServerExceptionMapper
    public Response storesUnavailable(StoresUnavailableException e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .entity(ApiError.of(null, e.getMessage())).build();
    }
}
