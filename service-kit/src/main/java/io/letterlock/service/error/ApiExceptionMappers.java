package io.letterlock.service.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as JSON in SendGrid's shape, including the ones the framework raises itself
 * (unknown path, wrong method, unsupported media type) and the ones nobody expected.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(e.body());
        // RFC 9110 §10.2.3: delay-seconds, a whole number; rounded up, so never 0.
        e.retryAfter().ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER,
                Math.max(1, (wait.toMillis() + 999) / 1000)));
        return response.build();
    }

    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "resource not found";
            case 405 -> "method not allowed";
            case 406 -> "only application/json responses are available";
            case 415 -> "request body must be application/json";
            default -> e.getResponse().getStatusInfo().getReasonPhrase().toLowerCase();
        };
        return json(status, ApiError.of(null, message));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(RuntimeException e) {
        // The message may carry request data; the stack trace goes to the log, not to the client.
        LOG.error("unexpected error while serving a request", e);
        return json(500, ApiError.of(null, "internal error"));
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
