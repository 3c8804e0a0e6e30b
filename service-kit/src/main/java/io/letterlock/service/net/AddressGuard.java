package io.letterlock.service.net;

import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a service may connect to when someone outside the operator chose the target
 * (SSRF guard): a customer's webhook URL, the MX hosts a sender's recipient domain publishes, a
 * domain someone asks the TLS check about. Such a target is reached from inside the operator's
 * network, so an address that is loopback, private, link-local (the cloud metadata service at
 * 169.254.169.254), multicast or reserved is refused unless the operator allows its range; so is
 * an IPv6 address that carries such an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo).
 * Each user names its own allow-list key ({@code letterlock.webhook.allow}; delivery and the TLS
 * check share {@code letterlock.delivery.allow}); targets the operator wrote themselves (static
 * routes) need no guard.
 */
public final class AddressGuard {

    private static final Logger LOG = Logger.getLogger(AddressGuard.class);

    // IANA's special-purpose registries (RFC 6890): every block not globally reachable, plus the
    // deprecated site-local fec0::/10, still private wherever it is used. Checked after the IPv6
    // forms of IPv4 addresses below, whose IPv4 address decides.
    private static final List<Blocked> BLOCKED = List.of(
            new Blocked("0.0.0.0/8", "a 'this network' address"),
            new Blocked("10.0.0.0/8", "a private address"),
            new Blocked("100.64.0.0/10", "a carrier-grade NAT address"),
            new Blocked("127.0.0.0/8", "a loopback address"),
            new Blocked("169.254.0.0/16", "a link-local address"),
            new Blocked("172.16.0.0/12", "a private address"),
            new Blocked("192.0.0.0/24", "an IETF protocol address"),
            new Blocked("192.0.2.0/24", "a documentation address"),
            new Blocked("192.88.99.0/24", "a retired 6to4 relay address"),
            new Blocked("192.168.0.0/16", "a private address"),
            new Blocked("198.18.0.0/15", "a benchmarking address"),
            new Blocked("198.51.100.0/24", "a documentation address"),
            new Blocked("203.0.113.0/24", "a documentation address"),
            new Blocked("224.0.0.0/4", "a multicast address"),
            new Blocked("240.0.0.0/4", "a reserved address"),
            new Blocked("::/128", "the unspecified address"),
            new Blocked("::1/128", "a loopback address"),
            // The rest of ::/8 (IPv4-compatible ::a.b.c.d among it) is reserved; ::ffff:0:0/96 and
            // 64:ff9b::/96 are looked at before this.
            new Blocked("::/8", "a reserved address"),
            new Blocked("64:ff9b:1::/48", "a local-use NAT64 address"),
            new Blocked("100::/64", "a discard-only address"),
            new Blocked("2001:2::/48", "a benchmarking address"),
            new Blocked("2001:db8::/32", "a documentation address"),
            new Blocked("3fff::/20", "a documentation address"),
            new Blocked("5f00::/16", "a segment routing (SRv6) address"),
            new Blocked("fc00::/7", "a private (unique local) address"),
            new Blocked("fec0::/10", "a site-local address"),
            new Blocked("fe80::/10", "a link-local address"),
            new Blocked("ff00::/8", "a multicast address"));

    /**
     * IPv6 addresses that carry an IPv4 address and reach it, or reach it through a gateway that
     * may sit in the operator's network (a NAT64 gateway in an IPv6-only cluster): refused when
     * that IPv4 address is. A NAT64 gateway under a network-specific prefix (RFC 6052 §2.2) cannot
     * be recognised: its addresses look public here.
     */
    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding(ipv4Mapped(), "an IPv4-mapped address", 12, false, true),
            new Embedding(AddressRange.parse("64:ff9b::/96"), "a NAT64 address", 12, false, true),
            new Embedding(AddressRange.parse("2002::/16"), "a 6to4 address", 2, false, false),
            // RFC 4380 §4: the Teredo client's IPv4 address is the last 32 bits, inverted.
            new Embedding(AddressRange.parse("2001::/32"), "a Teredo address", 12, true, false));

    private final List<AddressRange> allowed;

    public AddressGuard(List<AddressRange> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /**
     * The guard with the operator's allow list as configured (blank entries ignored), warning once
     * when it opens anything.
     *
     * @param key the configuration key the ranges came from, named in errors and in the warning
     * @throws IllegalArgumentException naming the key and the first range that is not a CIDR block
     */
    public static AddressGuard allowing(Optional<List<String>> ranges, String key) {
        List<AddressRange> allowed;
        try {
            allowed = ranges.orElse(List.of()).stream().filter(text -> !text.isBlank()).map(AddressRange::parse)
                    .toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        if (!allowed.isEmpty()) {
            LOG.warnf("%s opens these otherwise refused address ranges: %s", key, allowed);
        }
        return new AddressGuard(allowed);
    }

    /** The operator's allow list. */
    public List<AddressRange> allowed() {
        return allowed;
    }

    /**
     * Why this address may not be connected to, e.g. {@code 10.0.0.5 is a private address} or
     * {@code 64:ff9b:0:0:0:0:a00:5 is a NAT64 address of 10.0.0.5, a private address}; empty when it may.
     */
    public Optional<String> refusal(InetAddress address) {
        return why(address).map(what -> address.getHostAddress() + " is " + what);
    }

    private Optional<String> why(InetAddress address) {
        if (allowed.stream().anyMatch(range -> range.contains(address))) {
            return Optional.empty();
        }
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.range().contains(address)) {
                InetAddress ipv4 = embedding.ipv4(address);
                Optional<String> inner = why(ipv4);
                if (inner.isPresent()) {
                    return Optional.of(embedding.what() + " of " + ipv4.getHostAddress() + ", " + inner.get());
                }
                if (embedding.sameHost()) {
                    // ::ffff:a.b.c.d and 64:ff9b::a.b.c.d are a.b.c.d itself, which passed.
                    return Optional.empty();
                }
            }
        }
        return BLOCKED.stream().filter(blocked -> blocked.range().contains(address)).findFirst()
                .map(Blocked::what);
    }

    /** ::ffff:0:0/96, which AddressRange.parse would read as 0.0.0.0, as Java reads ::ffff:0.0.0.0. */
    private static AddressRange ipv4Mapped() {
        byte[] prefix = new byte[16];
        prefix[10] = (byte) 0xff;
        prefix[11] = (byte) 0xff;
        return new AddressRange(prefix, 96);
    }

    private record Blocked(AddressRange range, String what) {
        Blocked(String cidr, String what) {
            this(AddressRange.parse(cidr), what);
        }
    }

    /**
     * @param offset   where the IPv4 address starts in the 16 bytes
     * @param inverted stored with its bits inverted (Teredo)
     * @param sameHost the IPv6 address is only another way to write the IPv4 one
     */
    private record Embedding(AddressRange range, String what, int offset, boolean inverted, boolean sameHost) {

        InetAddress ipv4(InetAddress address) {
            byte[] bytes = address.getAddress();
            byte[] ipv4 = new byte[4];
            for (int i = 0; i < 4; i++) {
                ipv4[i] = (byte) (inverted ? ~bytes[offset + i] : bytes[offset + i]);
            }
            try {
                return InetAddress.getByAddress(ipv4);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
