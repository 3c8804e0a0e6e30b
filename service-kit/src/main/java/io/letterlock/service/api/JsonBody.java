package io.letterlock.service.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.letterlock.contracts.Json;
import io.letterlock.service.error.ApiException;

import java.io.IOException;

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
}
