package io.letterlock.testkit.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A service's OpenAPI document ({@code /q/openapi?format=json}) as its tests read it: which
 * operations it documents, and which of them leave a client guessing the shape of what they send
 * or get back.
 */
public final class OpenApiDocument {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Set<String> WITH_BODY = Set.of("put", "post", "patch");

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final JsonNode document;

    private OpenApiDocument(JsonNode document) {
        this.document = document;
    }

    /**
     * The document a running service serves at {@code /q/openapi?format=json} on this port.
     *
     * <p>HTTP/1.1, and a deadline on the whole exchange: with the client's default (HTTP/2 by
     * cleartext upgrade) a newcomer's run once waited forever for the body of events-service's
     * document, whose headers had arrived, and {@link HttpRequest#timeout} only bounds the wait for
     * the headers.
     */
    public static OpenApiDocument servedOn(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/openapi?format=json"))
                .timeout(TIMEOUT).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
                throw new AssertionError("/q/openapi answered " + response.statusCode() + ": " + response.body());
            }
            return parse(response.body());
        } catch (ExecutionException e) {
            throw new IllegalStateException("/q/openapi on port " + port + " could not be read: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new AssertionError("/q/openapi on port " + port + " did not answer whole within " + TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static OpenApiDocument parse(String json) {
        return new OpenApiDocument(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), JsonNode.class));
    }

    /** {@code "GET /v3/…"} for every operation under {@code pathPrefix}. */
    public Set<String> operations(String pathPrefix) {
        Set<String> operations = new TreeSet<>();
        forEachOperation(pathPrefix, (name, operation) -> operations.add(name));
        return operations;
    }

    /**
     * What a client of the operations under {@code pathPrefix} cannot learn from the document, one
     * line each: an operation without a success response; a success response (other than 204 No
     * Content) without a JSON schema of its body; a PUT, POST or PATCH without a JSON schema of its
     * request body; a schema that refers to one the document does not hold, or that says nothing of
     * its shape. Empty when every operation is documented.
     */
    public List<String> undocumented(String pathPrefix) {
        List<String> missing = new ArrayList<>();
        forEachOperation(pathPrefix, (name, operation) -> {
            boolean success = false;
            for (Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields();
                 responses.hasNext(); ) {
                Map.Entry<String, JsonNode> response = responses.next();
                if (!response.getKey().startsWith("2")) {
                    continue;
                }
                success = true;
                if (!response.getKey().equals("204")) {
                    describeSchema(response.getValue(), name + " " + response.getKey() + " response", missing);
                }
            }
            if (!success) {
                missing.add(name + ": no success response");
            }
            String method = name.substring(0, name.indexOf(' ')).toLowerCase(Locale.ROOT);
            if (WITH_BODY.contains(method)) {
                describeSchema(operation.path("requestBody"), name + " request body", missing);
            }
        });
        return missing;
    }

    private void describeSchema(JsonNode withContent, String what, List<String> missing) {
        JsonNode schema = withContent.path("content").path("application/json").path("schema");
        if (schema.isMissingNode() || schema.isEmpty()) {
            missing.add(what + ": no application/json schema");
            return;
        }
        String problem = shapeProblem(schema, 0);
        if (problem != null) {
            missing.add(what + ": " + problem);
        }
    }

    /**
     * Why the schema does not tell a client the shape of the JSON, or null when it does: an object
     * must name its fields (a {@code Map<String, Object>} names none), an array must say what it
     * holds, and a reference must lead to a schema the document holds.
     */
    private String shapeProblem(JsonNode schema, int depth) {
        JsonNode resolved = resolve(schema);
        if (resolved == null) {
            return "schema " + schema.path("$ref").asText() + " is not in the document";
        }
        if (resolved.path("properties").size() > 0) {
            return null;
        }
        String type = resolved.path("type").isArray() ? resolved.path("type").path(0).asText() : resolved.path("type").asText();
        if (type.equals("array") && depth < 5) {
            JsonNode items = resolved.path("items");
            return items.isMissingNode() ? "an array that does not say what it holds" : shapeProblem(items, depth + 1);
        }
        if (Set.of("string", "integer", "number", "boolean").contains(type)) {
            return null;
        }
        return "an object without named fields (" + resolved + ")";
    }

    /** The schema itself, or the component it refers to; null when that is not there. */
    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.isEmpty()) {
            return schema;
        }
        String prefix = "#/components/schemas/";
        if (!ref.startsWith(prefix)) {
            return null;
        }
        JsonNode target = document.path("components").path("schemas").path(ref.substring(prefix.length()));
        return target.isMissingNode() ? null : target;
    }

    private void forEachOperation(String pathPrefix, java.util.function.BiConsumer<String, JsonNode> action) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith(pathPrefix)) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                if (METHODS.contains(operation.getKey())) {
                    action.accept(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), operation.getValue());
                }
            }
        }
    }
}
