package io.letterlock.service.net;

import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a service may connect to when someone outside the operator chose the target
 * (SSRF guard): a customer's webhook URL, the MX hosts a sender's recipient domain publishes, a
 * domain someone asks the TLS check about. Such a target is reached from inside the operator's
 * network, so an address that is loopback, private, link-local (the cloud metadata service at
 * 169.254.169.254), multicast or reserved is refused unless the operator allows its range.
 * Each user names its own allow-list key ({@code letterlock.webhook.allow},
 * {@code letterlock.delivery.allow}, {@code letterlock.tls-check.allow}); targets the operator wrote
 * themselves (static routes) need no guard.
 */
public final class AddressGuard {

    private static final Logger LOG = Logger.getLogger(AddressGuard.class);

    private static final List<Blocked> BLOCKED = List.of(
            new Blocked("0.0.0.0/8", "a 'this network' address"),
            new Blocked("10.0.0.0/8", "a private address"),
            new Blocked("100.64.0.0/10", "a carrier-grade NAT address"),
            new Blocked("127.0.0.0/8", "a loopback address"),
            new Blocked("169.254.0.0/16", "a link-local address"),
            new Blocked("172.16.0.0/12", "a private address"),
            new Blocked("192.0.0.0/24", "an IETF protocol address"),
            new Blocked("192.168.0.0/16", "a private address"),
            new Blocked("198.18.0.0/15", "a benchmarking address"),
            new Blocked("224.0.0.0/4", "a multicast address"),
            new Blocked("240.0.0.0/4", "a reserved address"),
            new Blocked("::/128", "the unspecified address"),
            new Blocked("::1/128", "a loopback address"),
            new Blocked("fc00::/7", "a private (unique local) address"),
            new Blocked("fe80::/10", "a link-local address"),
            new Blocked("ff00::/8", "a multicast address"));

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

    /** Why this address may not be connected to, e.g. {@code 10.0.0.5 is a private address}; empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        if (allowed.stream().anyMatch(range -> range.contains(address))) {
            return Optional.empty();
        }
        // Java already turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address.
        return BLOCKED.stream().filter(blocked -> blocked.range().contains(address)).findFirst()
                .map(blocked -> address.getHostAddress() + " is " + blocked.what());
    }

    private record Blocked(AddressRange range, String what) {
        Blocked(String cidr, String what) {
            this(AddressRange.parse(cidr), what);
        }
    }
}
