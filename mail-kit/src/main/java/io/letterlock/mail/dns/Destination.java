package io.letterlock.mail.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One mail exchanger to try.
 *
 * @param mxHost      the MX host name (lower case, no trailing dot), or the host of a static route;
 *                    the name a server certificate must match, and the SNI to send
 * @param preference  the MX preference (0 for the implicit MX of RFC 5321 §5.1 and static routes)
 * @param addresses   its addresses to try in this order (IPv4 first, then IPv6); never empty
 * @param port        the SMTP port ({@code letterlock.smtp.port}, or a static route's own)
 * @param staticRoute a static route named it, not DNS: the operator's own configuration, so its
 *                    addresses are used as they are, even loopback or private ones, where
 *                    addresses from DNS must pass the outbound address guard
 */
public record Destination(String mxHost, int preference, List<InetAddress> addresses, int port, boolean staticRoute) {

    public Destination {
        Objects.requireNonNull(mxHost, "mxHost");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException(mxHost + " has no address to try");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }
}
