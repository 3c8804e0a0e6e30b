package io.letterlock.service.error;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A request that cannot be served, with the HTTP status and SendGrid-shaped errors to answer. */
public class ApiException extends RuntimeException {

    private final int status;
    private final transient ApiError body;
    private final transient Optional<Duration> retryAfter;

    public ApiException(int status, ApiError body) {
        this(status, body, Optional.empty());
    }

    private ApiException(int status, ApiError body, Optional<Duration> retryAfter) {
        super(body.errors().isEmpty() ? "status " + status : body.errors().get(0).message(), null, false, false);
        this.status = status;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    public static ApiException badRequest(List<ApiError.Entry> errors) {
        return new ApiException(400, new ApiError(errors));
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, ApiError.of(field, message));
    }

    public static ApiException unauthorized() {
        return new ApiException(401, ApiError.of(null, "authorization required"));
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, ApiError.of(null, message));
    }

    public static ApiException notFound(String field, String message) {
        return new ApiException(404, ApiError.of(field, message));
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, ApiError.of(null, message));
    }

    /** A 503 whose {@code Retry-After} tells the client when asking again is likely to work. */
    public static ApiException unavailable(String message, Duration retryAfter) {
        return new ApiException(503, ApiError.of(null, message), Optional.of(retryAfter));
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return body;
    }

    /** The {@code Retry-After} to answer with, if any. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
