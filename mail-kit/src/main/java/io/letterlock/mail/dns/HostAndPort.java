package io.letterlock.mail.dns;

import org.xbill.DNS.Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * A server as operators write it in a setting: {@code host}, {@code host:port}, {@code 192.0.2.1:25},
 * {@code [2001:db8::1]:25} or a bare {@code 2001:db8::1} (then without port).
 */
record HostAndPort(String host, int port) {

    static HostAndPort parse(String text, int defaultPort) {
        String trimmed = text.strip();
        String host = trimmed;
        String port = null;
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' opens [ without closing it");
            }
            host = trimmed.substring(1, close);
            String rest = trimmed.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("'" + text + "' has '" + rest + "' after ]; expected :port");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
            if (Address.toByteArray(host, Address.IPv6) == null) {
                throw new IllegalArgumentException("'" + text + "': only an IPv6 address goes between [ and ]");
            }
        } else if (trimmed.indexOf(':') >= 0 && trimmed.indexOf(':') == trimmed.lastIndexOf(':')) {
            host = trimmed.substring(0, trimmed.indexOf(':'));
            port = trimmed.substring(trimmed.indexOf(':') + 1);
        } else if (trimmed.indexOf(':') >= 0 && Address.toByteArray(trimmed, Address.IPv6) == null) {
            throw new IllegalArgumentException("'" + text + "' is neither host:port nor an IPv6 address");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        return new HostAndPort(host, port == null ? defaultPort : parsePort(port, text));
    }

    private static int parsePort(String port, String text) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 1 && value <= 65_535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number from 1 to 65535");
    }

    /** The host as an address when it is written as one; never asks DNS. */
    Optional<InetAddress> literalAddress() {
        int family = Address.isDottedQuad(host) ? Address.IPv4 : Address.IPv6;
        if (Address.toByteArray(host, family) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.getByAddress(host, family));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
