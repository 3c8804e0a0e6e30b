package io.letterlock.mail.dns;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Static routes (delivery's {@code letterlock.routes}), after Postfix's transport maps: mail for a listed domain
 * goes to the given host, never to the domain's MX hosts. Written
 * {@code domain=host[:port],domain2=host2[:port2]}; the host is an IP address ({@code [v6]:port} for
 * IPv6) or a fully qualified name; the port defaults to {@code letterlock.smtp.port}. A domain
 * matches exactly: a route for {@code example.com} does not cover {@code sub.example.com}.
 */
public final class StaticRoutes {

    private final Map<String, HostAndPort> routes;

    private StaticRoutes(Map<String, HostAndPort> routes) {
        this.routes = Map.copyOf(routes);
    }

    public static StaticRoutes none() {
        return new StaticRoutes(Map.of());
    }

    /**
     * Parses the setting; throws {@link IllegalArgumentException} naming the first bad entry (the
     * caller prefixes the name of its configuration key).
     */
    public static StaticRoutes parse(String text, int defaultPort) {
        Map<String, HostAndPort> routes = new HashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw bad(entry, "expected domain=host[:port]");
            }
            String domainText = entry.substring(0, equals).strip();
            MailDomain domain = MailDomain.parse(domainText)
                    .orElseThrow(() -> bad(entry, "'" + domainText + "' is not a domain name"));
            HostAndPort relay;
            try {
                relay = HostAndPort.parse(entry.substring(equals + 1), defaultPort);
            } catch (IllegalArgumentException e) {
                throw bad(entry, e.getMessage());
            }
            if (relay.literalAddress().isEmpty() && MailDomain.parse(relay.host()).isEmpty()) {
                throw bad(entry, "'" + relay.host() + "' is neither an IP address nor a host name");
            }
            if (routes.putIfAbsent(domain.text(), relay) != null) {
                throw bad(entry, domain + " is routed twice");
            }
        }
        return new StaticRoutes(routes);
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("bad entry '" + entry.strip() + "': " + why);
    }

    Optional<HostAndPort> routeFor(MailDomain domain) {
        return Optional.ofNullable(routes.get(domain.text()));
    }

    public int size() {
        return routes.size();
    }

    @Override
    public String toString() {
        return routes.toString();
    }
}
