package io.letterlock.testkit.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TestHttpsServer} answers to one request: a status, headers, a body, how the body is
 * framed, and how fast the bytes go out. Immutable; each {@code with…} method returns a changed copy.
 *
 * <pre>{@code
 * HttpReply.ok("text/plain", "version: STSv1\n...")
 * HttpReply.status(301, "Moved Permanently").withHeader("Location", "https://elsewhere.example/")
 * HttpReply.ok("text/plain", body).trickled(Duration.ofMillis(200))   // one byte every 200 ms
 * HttpReply.endless("text/plain")                                    // a body that never ends
 * }</pre>
 */
public final class HttpReply {

    /** How the end of the body is told (RFC 9112 §6). */
    public enum Framing {
        /** {@code Content-Length} before the body. */
        CONTENT_LENGTH,
        /** {@code Transfer-Encoding: chunked}, the body in chunks of at most 4 KiB. */
        CHUNKED,
        /** Neither: the body ends when the server closes the connection. */
        CLOSE_DELIMITED
    }

    private static final int CHUNK_SIZE = 4096;

    private final int status;
    private final String reason;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Framing framing;
    private final boolean endless;
    private final Optional<Duration> byteInterval;

    private HttpReply(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body,
                      Framing framing, boolean endless, Optional<Duration> byteInterval) {
        this.status = status;
        this.reason = reason;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.framing = framing;
        this.endless = endless;
        this.byteInterval = byteInterval;
    }

    /** 200 with this content type and body (UTF-8), framed by Content-Length. */
    public static HttpReply ok(String contentType, String body) {
        return ok(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with this content type and body, framed by Content-Length. */
    public static HttpReply ok(String contentType, byte[] body) {
        return status(200, "OK").withHeader("Content-Type", contentType).withBody(body);
    }

    /** Any status, no headers, an empty body. */
    public static HttpReply status(int status, String reason) {
        return new HttpReply(status, reason, List.of(), new byte[0], Framing.CONTENT_LENGTH, false, Optional.empty());
    }

    /**
     * 200 with this content type and a body of {@code x} that never ends (close-delimited): the
     * server writes until the client closes, as a misbehaving or hostile server would.
     */
    public static HttpReply endless(String contentType) {
        return new HttpReply(200, "OK", List.of(Map.entry("Content-Type", contentType)), new byte[0],
                Framing.CLOSE_DELIMITED, true, Optional.empty());
    }

    public HttpReply withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new HttpReply(status, reason, more, body, framing, endless, byteInterval);
    }

    public HttpReply withBody(byte[] body) {
        return new HttpReply(status, reason, headers, body.clone(), framing, endless, byteInterval);
    }

    public HttpReply withFraming(Framing framing) {
        return new HttpReply(status, reason, headers, body, Objects.requireNonNull(framing), endless, byteInterval);
    }

    /**
     * The whole response, status line included, goes out one byte at a time with {@code interval}
     * between bytes: a server that is never idle for long yet never finishes.
     */
    public HttpReply trickled(Duration interval) {
        return new HttpReply(status, reason, headers, body, framing, endless, Optional.of(interval));
    }

    int statusCode() {
        return status;
    }

    String reason() {
        return reason;
    }

    List<Map.Entry<String, String>> headers() {
        return headers;
    }

    byte[] body() {
        return body;
    }

    Framing framing() {
        return framing;
    }

    boolean endless() {
        return endless;
    }

    Optional<Duration> byteInterval() {
        return byteInterval;
    }

    static int chunkSize() {
        return CHUNK_SIZE;
    }

    @Override
    public String toString() {
        return "HttpReply[" + status + " " + reason + ", " + body.length + " bytes, " + framing
                + (endless ? ", endless" : "") + byteInterval.map(i -> ", a byte every " + i).orElse("") + "]";
    }
}
