package io.letterlock.testkit.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request the {@link TestWebhookReceiver} received, exactly as it arrived: signature
 * checks need the body bytes as sent, not a re-serialised JSON document.
 *
 * @param method     the request method, e.g. {@code "POST"}
 * @param path       the request target as sent, raw (still percent-encoded), with the query if
 *                   any, e.g. {@code "/hook?batch=7"}
 * @param headers    every header, names lower-cased (HTTP names are case-insensitive), values
 *                   in the order sent; a header sent on two lines has two values
 * @param body       the exact body bytes; empty when there was none
 * @param receivedAt when the receiver had read the whole request
 * @param status     the status the receiver answered with; for a request held by
 *                   {@link TestWebhookReceiver.Builder#delay} and cut short by
 *                   {@link TestWebhookReceiver#close()} (or a client that gave up), the status it
 *                   would have answered
 */
public record ReceivedRequest(String method, String path, Map<String, List<String>> headers, byte[] body,
                              Instant receivedAt, int status) {

    public ReceivedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(receivedAt, "receivedAt");
        headers = lowerCased(headers);
        body = body.clone();
    }

    /** The first value of the header {@code name}, looked up case-insensitively. */
    public Optional<String> header(String name) {
        return headerValues(name).stream().findFirst();
    }

    /** Every value of the header {@code name} (case-insensitive), in the order sent; empty if absent. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** A copy of the body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8 (what a JSON webhook body is). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedRequest that
                && method.equals(that.method) && path.equals(that.path) && headers.equals(that.headers)
                && Arrays.equals(body, that.body) && receivedAt.equals(that.receivedAt) && status == that.status;
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, headers, Arrays.hashCode(body), receivedAt, status);
    }

    @Override
    public String toString() {
        return "ReceivedRequest[" + method + " " + path + " -> " + status + ", " + body.length + " bytes, at "
                + receivedAt + "]";
    }

    /** Sorted by name so that {@link #toString()} and failure messages are stable. */
    private static Map<String, List<String>> lowerCased(Map<String, List<String>> headers) {
        Map<String, List<String>> merged = new TreeMap<>();
        headers.forEach((name, values) -> merged
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>())
                .addAll(values));
        merged.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(merged);
    }
}
