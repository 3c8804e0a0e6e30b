package io.letterlock.events.guard;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may go (SSRF guard). A webhook URL is chosen by a customer but fetched from inside
 * the operator's network, so an address that is loopback, private, link-local (the cloud metadata
 * service at 169.254.169.254), multicast or reserved is refused unless the operator allows its range
 * ({@code LETTERLOCK_WEBHOOK_ALLOW}). The check runs when the URL is stored and again on every
 * connection, on the address actually connected to, so a name that later resolves elsewhere (DNS
 * rebinding) gets nowhere.
 */
public final class WebhookTargetGuard {

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

    public WebhookTargetGuard(List<AddressRange> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Why a webhook may not connect to this address; empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        if (allowed.stream().anyMatch(range -> range.contains(address))) {
            return Optional.empty();
        }
        // Java already turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address.
        return BLOCKED.stream().filter(blocked -> blocked.range().contains(address)).findFirst()
                .map(blocked -> address.getHostAddress() + " is " + blocked.what());
    }

    /**
     * A URL fit to store: absolute http or https, a host, no user name or password (they would be
     * sent to whoever the host is and shown wherever the URL is), and every address the host
     * resolves to allowed. A host that does not resolve yet is accepted (its DNS may be on its
     * way); the check on connection decides then.
     *
     * @throws TargetRefusedException saying what is wrong, fit for the API's error message
     */
    public URI checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new TargetRefusedException("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TargetRefusedException("url must start with https:// or http://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new TargetRefusedException("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new TargetRefusedException("url must not carry a user name or password; use OAuth or signatures");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return uri;
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = refusal(address);
            if (refusal.isPresent()) {
                throw new TargetRefusedException("url host " + uri.getHost() + ": " + refusal.get()
                        + "; webhooks go to public addresses only unless the operator allows the range");
            }
        }
        return uri;
    }

    private record Blocked(AddressRange range, String what) {
        Blocked(String cidr, String what) {
            this(AddressRange.parse(cidr), what);
        }
    }

    /** A webhook target that may not be used, with a message fit for the caller. */
    public static final class TargetRefusedException extends RuntimeException {
        public TargetRefusedException(String message) {
            super(message);
        }
    }
}
