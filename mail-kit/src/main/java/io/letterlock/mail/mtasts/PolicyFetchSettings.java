package io.letterlock.mail.mtasts;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one policy fetch. RFC 8461 §3.3 lets senders bound both ("a suggested timeout is one
 * minute, and a suggested maximum policy size is 64 kilobytes; policy hosts SHOULD respond to
 * requests with a complete policy body within that timeout and size limit").
 *
 * @param connectTimeout  one TCP connection attempt
 * @param totalTimeout    the whole fetch, from the DNS lookup of the policy host to the last body
 *                        byte, however slowly the server sends
 * @param maxBodyBytes    a longer body is abandoned while it arrives (never held in memory)
 * @param port            the policy host's HTTPS port: 443. Anything else is for tests, whose
 *                        servers listen on a free port of 127.0.0.1
 */
public record PolicyFetchSettings(Duration connectTimeout, Duration totalTimeout, int maxBodyBytes, int port) {

    public static final int HTTPS_PORT = 443;
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public PolicyFetchSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        if (connectTimeout.toMillis() < 1 || totalTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("policy fetch timeouts must be at least 1 ms");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("the policy size limit must be at least 1 byte");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    /**
     * 10 s to connect; 60 s for the whole fetch and 64 KiB, the limits RFC 8461 §3.3 suggests and
     * policy hosts are asked to meet (a shorter total would fail hosts that follow the RFC).
     */
    public static PolicyFetchSettings defaults() {
        return new PolicyFetchSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), MAX_BODY_BYTES, HTTPS_PORT);
    }

    public PolicyFetchSettings withTimeouts(Duration connect, Duration total) {
        return new PolicyFetchSettings(connect, total, maxBodyBytes, port);
    }

    /** Test only: the policy host's port; production fetches from 443 (RFC 8461 §3.3). */
    public PolicyFetchSettings withPort(int port) {
        return new PolicyFetchSettings(connectTimeout, totalTimeout, maxBodyBytes, port);
    }
}
