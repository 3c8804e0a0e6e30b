package io.letterlock.events.views.query;

import io.letterlock.events.views.config.ActivityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

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
        this.http = HttpClient.newBuilder().connectTimeout(config.forwardTimeout()).build();
    }

    public static boolean isLocalScope(HttpHeaders headers) {
        return SCOPE_LOCAL.equals(headers.getHeaderString(SCOPE_HEADER));
    }

    /**
     * The owning instance's answer to {@code pathAndQuery} (already encoded) when another instance
     * owns the data and this request was not forwarded already; empty when this one answers.
     */
    public Optional<Response> toOwner(KeyQueryMetadata owner, String pathAndQuery, HttpHeaders incoming) {
        if (queries.isSelf(owner.activeHost()) || isLocalScope(incoming)) {
            return Optional.empty();
        }
        return Optional.of(get(owner.activeHost(), pathAndQuery, incoming).relay());
    }

    /** GET {@code pathAndQuery} (already encoded) on that instance; its status and JSON body. */
    public Answer get(HostInfo host, String pathAndQuery, HttpHeaders incoming) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(config.forwardTimeout())
                .header(SCOPE_HEADER, SCOPE_LOCAL)
                .header("Accept", "application/json");
        for (String name : CREDENTIALS) {
            String value = incoming.getHeaderString(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        try {
            HttpResponse<String> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new StoresUnavailableException("instance " + host.host() + ":" + host.port() + " did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoresUnavailableException("interrupted while asking another instance");
        }
    }

    public record Answer(int status, String body) {

        /**
         * The other instance's answer as this one's. A 503 there (stores moving) is a 503 here,
         * with Retry-After.
         */
        public Response relay() {
            if (status == 503) {
                throw new StoresUnavailableException("another instance's stores are not ready");
            }
            return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
        }
    }
}
