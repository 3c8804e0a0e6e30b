package io.letterlock.events.views.query;

import io.letterlock.events.views.config.ActivityConfig;
import io.letterlock.contracts.Json;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks another instance of this application id for data its stores hold. The caller's credentials
 * travel along, so the other instance authenticates the request again and serves the same
 * account; {@value #SCOPE_HEADER}: {@value #SCOPE_LOCAL} tells it to answer from its own stores
 * only, so a request is forwarded at most once.
 */
@ApplicationScoped
public class InstanceForwarder {

    public static final String SCOPE_HEADER = "X-Letterlock-Scope";
    public static final String SCOPE_LOCAL = "local";
    private static final List<String> CREDENTIALS = List.of(HttpHeaders.AUTHORIZATION, "on-behalf-of");

    private final HttpClient http;
    private final ActivityConfig config;
    private final InteractiveQueries queries;

    public InstanceForwarder(ActivityConfig config, InteractiveQueries queries) {
        this.config = config;
        this.queries = queries;
        // HTTP/1.1: the JDK client's default on cleartext is an h2c upgrade, with which a test's read of
        // a Quarkus answer once stalled mid-body (RFC 9113 dropped the upgrade; a forwarded read is
        // one small GET, nothing to multiplex).
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.forwardTimeout()).build();
    }

    public static boolean isLocalScope(HttpHeaders headers) {
        return SCOPE_LOCAL.equals(headers.getHeaderString(SCOPE_HEADER));
    }

    /**
     * The owning instance's answer to {@code pathAndQuery} (already encoded) when another instance
     * owns the data and this request was not forwarded already; empty when this one answers.
     *
     * @throws ApiException what the owner refused with, with its status and errors
     * @throws StoresUnavailableException when the owner's stores are not ready or it does not answer
     */
    public <T> Optional<T> fromOwner(KeyQueryMetadata owner, String pathAndQuery, HttpHeaders incoming, Class<T> type) {
        if (queries.isSelf(owner.activeHost()) || isLocalScope(incoming)) {
            return Optional.empty();
        }
        return Optional.of(get(owner.activeHost(), pathAndQuery, incoming, type));
    }

    /**
     * GET {@code pathAndQuery} (already encoded) on that instance, its answer read as {@code type}.
     *
     * @throws ApiException what the other instance refused with, with its status and errors
     * @throws StoresUnavailableException when its stores are not ready (its 503) or it does not answer
     */
    public <T> T get(HostInfo host, String pathAndQuery, HttpHeaders incoming, Class<T> type) {
        Map<String, String> credentials = new LinkedHashMap<>();
        for (String name : CREDENTIALS) {
            String value = incoming.getHeaderString(name);
            if (value != null) {
                credentials.put(name, value);
            }
        }
        return get(host, pathAndQuery, credentials, type);
    }

    /**
     * The same with the caller's credential headers given. The whole exchange has
     * {@code forward-timeout}, not just its headers ({@link HttpRequest.Builder#timeout} bounds only
     * those): an instance that stalls mid-answer costs the caller a 503, not a worker thread.
     */
    <T> T get(HostInfo host, String pathAndQuery, Map<String, String> credentials, Class<T> type) {
        String instance = host.host() + ":" + host.port();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + instance + pathAndQuery))
                .timeout(config.forwardTimeout())
                .header(SCOPE_HEADER, SCOPE_LOCAL)
                .header("Accept", "application/json");
        credentials.forEach(request::header);
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(config.forwardTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StoresUnavailableException("instance " + instance + " did not answer");
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new StoresUnavailableException("instance " + instance + " did not answer within "
                    + config.forwardTimeout());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoresUnavailableException("interrupted while asking another instance");
        }
        if (response.statusCode() != 200) {
            throw refusal(response.statusCode(), response.body());
        }
        return Json.fromBytes(response.body(), type);
    }

    /**
     * Another instance's refusal as this one's: a 503 there (stores moving) is a 503 here, with
     * Retry-After; any other keeps its status and SendGrid-shaped errors.
     */
    private static RuntimeException refusal(int status, byte[] body) {
        if (status == 503) {
            return new StoresUnavailableException("another instance's stores are not ready");
        }
        ApiError errors;
        try {
            errors = Json.fromBytes(body, ApiError.class);
        } catch (RuntimeException unreadable) {
            errors = null;
        }
        return new ApiException(status, errors == null || errors.errors() == null || errors.errors().isEmpty()
                ? ApiError.of(null, "another instance answered " + status) : errors);
    }
}
