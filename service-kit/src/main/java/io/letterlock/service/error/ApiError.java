package io.letterlock.service.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * SendGrid's error body: {@code {"errors":[{"field":"require_tls","message":"…"}]}}. Clients
 * written for SendGrid parse it unchanged. {@code field} is null when no single field is at fault.
 */
public record ApiError(@JsonProperty("errors") List<Entry> errors) {

    public record Entry(
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("field") String field,
            @JsonProperty("message") String message) {
    }

    public static ApiError of(String field, String message) {
        return new ApiError(List.of(new Entry(field, message)));
    }
}
