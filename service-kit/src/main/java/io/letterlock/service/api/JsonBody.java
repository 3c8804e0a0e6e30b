package io.letterlock.service.api;

import java.util.function.Predicate;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.letterlock.contracts.Json;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Request bodies are read as raw bytes and parsed here rather than bound by the framework, so that
 * every malformed body gets the same SendGrid-shaped 400 and validation sees exactly what was sent.
 * Its fields are then read with {@link JsonFields}.
 */
public final class JsonBody {

    /** A duplicated key is ambiguous (which value wins?), so it is an error, not a guess. */
    private static final ObjectReader READER = Json.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonBody() {
    }

    /** @throws ApiException 400 when the body is empty, not JSON, or not a JSON object */
    public static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest(null, "request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        return node;
    }

    /**
     * Adds an error for every field of {@code body} that {@code known} does not accept, naming what
     * is allowed, so a misspelt field is refused rather than silently ignored.
     *
     * @param allowed the allowed fields as the message lists them
     * @deprecated read bodies with {@link JsonFields}, which words this error the same way; kept
     *             until policy-service reads its bodies with it too
     */
    @Deprecated
    public static void unknownFields(JsonNode body, Predicate<String> known, String allowed,
                                     List<ApiError.Entry> errors) {
        body.fieldNames().forEachRemaining(name -> {
            if (!known.test(name)) {
                errors.add(new ApiError.Entry(name, JsonFields.unknownField(allowed)));
            }
        });
    }

    /**
     * A field that must be a JSON boolean when present: no "true" strings, no 1 for true. A wrong
     * type is added to {@code errors} (so one 400 lists every field at fault) and reads as absent.
     *
     * @deprecated read bodies with {@link JsonFields} ({@link JsonFields.Nulls#REFUSED} refuses null
     *             as this does); kept until policy-service reads its bodies with it too
     */
    @Deprecated
    public static Optional<Boolean> optionalBoolean(JsonNode body, String field, List<ApiError.Entry> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            errors.add(new ApiError.Entry(field, JsonFields.mustBeBoolean(field)));
            return Optional.empty();
        }
        return Optional.of(node.booleanValue());
    }
}
