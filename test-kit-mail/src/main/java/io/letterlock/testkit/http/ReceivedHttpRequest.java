package io.letterlock.testkit.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request {@link TestHttpsServer} read.
 *
 * @param method     e.g. {@code GET}
 * @param target     the request target as sent, e.g. {@code /.well-known/mta-sts.txt}
 * @param headers    in the order sent, names as sent
 * @param serverName the TLS SNI host name the client asked for (RFC 6066 §3), if it sent one
 * @param body       the bytes its Content-Length announced (chunked bodies are not read)
 */
public record ReceivedHttpRequest(String method, String target, List<Map.Entry<String, String>> headers,
                                  Optional<String> serverName, byte[] body) {

    public ReceivedHttpRequest {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A request without a body. */
    public ReceivedHttpRequest(String method, String target, List<Map.Entry<String, String>> headers,
                               Optional<String> serverName) {
        this(method, target, headers, serverName, new byte[0]);
    }

    /** The body as sent (a copy); empty without a Content-Length. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The first value of a header, its name matched without regard to case. */
    public Optional<String> header(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return headers.stream()
                .filter(header -> header.getKey().toLowerCase(Locale.ROOT).equals(wanted))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
