package io.letterlock.testkit.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real JDK HTTP client, as the events-service would use, for posting to a receiver. */
final class TestHttp {

    /** Long enough never to fire in a passing test, short enough that a broken one ends. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** HTTP/1.1, no redirects followed: what a webhook sender should be. */
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private TestHttp() {
    }

    /** A JSON POST to {@code url} with alternating header names and values. */
    static HttpRequest.Builder post(String url, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return headers.length == 0 ? request : request.headers(headers);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
