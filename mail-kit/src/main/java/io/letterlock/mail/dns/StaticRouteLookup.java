package io.letterlock.mail.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a statically routed domain's mail goes: the configured host, never the domain's MX hosts.
 * An IP address needs no DNS at all; a name is looked up (A/AAAA) like an MX host, except
 * {@code localhost}, which is always the loopback addresses (RFC 6761 §6.3). The destination's
 * host, which its certificate must name, is the route's {@code match=} name when it has one.
 *
 * <p>A routed host without an address defers rather than bounces: the route is the operator's
 * promise, and a typo or an outage of theirs should not lose mail.
 */
final class StaticRouteLookup {

    private static final int PREFERENCE = 0;

    private final AddressLookup addressLookup;
    private final TtlPolicy ttlPolicy;

    StaticRouteLookup(AddressLookup addressLookup, TtlPolicy ttlPolicy) {
        this.addressLookup = addressLookup;
        this.ttlPolicy = ttlPolicy;
    }

    CompletableFuture<ResolvedRoute> lookup(StaticRoute route) {
        HostAndPort relay = route.relay();
        String host = relay.host().toLowerCase(Locale.ROOT);
        Optional<InetAddress> literal = relay.literalAddress();
        if (literal.isPresent()) {
            return fixed(route, List.of(literal.get()));
        }
        if (host.equals("localhost") || host.equals("localhost.")) {
            return fixed(route, List.of(loopback(host, 4), loopback(host, 16)));
        }
        MailDomain name = MailDomain.parse(host).orElseThrow();
        return addressLookup.addressesOf(name.name()).thenApply(found -> {
            if (found.addresses().isEmpty()) {
                return resolved(new Route.TemporaryFailure("static route host " + relay + " has no address"
                        + found.temporaryFailure().map(why -> ": " + why).orElse("")), found.ttlSeconds());
            }
            return resolved(destinations(route.match().orElse(name.text()), found.addresses(), relay.port()),
                    found.ttlSeconds());
        });
    }

    private CompletableFuture<ResolvedRoute> fixed(StaticRoute route, List<InetAddress> addresses) {
        // Nothing in DNS can change it: cache it as long as anything.
        return CompletableFuture.completedFuture(resolved(
                destinations(route.match().orElse(route.relay().host()), addresses, route.relay().port()),
                Long.MAX_VALUE));
    }

    /** @param host the name the certificate must carry: the route's {@code match=}, else its host */
    private static Route destinations(String host, List<InetAddress> addresses, int port) {
        return new Route.Destinations(List.of(new Destination(host, PREFERENCE, addresses, port, true)));
    }

    private ResolvedRoute resolved(Route route, long ttl) {
        return new ResolvedRoute(route, ttlPolicy.ttlOf(route, ttl));
    }

    private static InetAddress loopback(String host, int bytes) {
        byte[] address = new byte[bytes];
        // 127.0.0.1, or ::1
        address[0] = bytes == 4 ? (byte) 127 : 0;
        address[bytes - 1] = 1;
        try {
            return InetAddress.getByAddress(host, address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
