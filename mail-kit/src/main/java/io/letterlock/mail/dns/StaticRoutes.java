package io.letterlock.mail.dns;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Static routes ({@code letterlock.routes}, delivery's and the TLS check's), after Postfix's transport maps: mail for a listed domain
 * goes to the given host, never to the domain's MX hosts. Written
 * {@code domain=host[:port][;match=name],domain2=host2[:port2]}; the host is an IP address
 * ({@code [v6]:port} for IPv6) or a fully qualified name; the port defaults to
 * {@code letterlock.smtp.port}. A domain matches exactly: a route for {@code example.com} does not
 * cover {@code sub.example.com}.
 *
 * <p>The server's certificate is verified against the route's host, unless {@code ;match=name}
 * names the host it must carry instead, as Postfix's {@code match=} does in smtp_tls_policy_maps:
 * {@code bank.example=192.0.2.7:2526;match=mx.bank.example}. Without it a route to an IP address
 * can only meet {@code require_valid_cert} with a certificate for that address.
 */
public final class StaticRoutes {

    private static final String MATCH = "match";

    private final Map<String, StaticRoute> routes;

    private StaticRoutes(Map<String, StaticRoute> routes) {
        this.routes = Map.copyOf(routes);
    }

    public static StaticRoutes none() {
        return new StaticRoutes(Map.of());
    }

    /**
     * The setting as configured, for delivery and the TLS check alike: none when unset or blank,
     * else {@link #parse}d.
     */
    public static StaticRoutes of(Optional<String> setting, int defaultPort) {
        return setting.filter(text -> !text.isBlank()).map(text -> parse(text, defaultPort)).orElseGet(StaticRoutes::none);
    }

    /**
     * Parses the setting; throws {@link IllegalArgumentException} naming the first bad entry (the
     * caller prefixes the name of its configuration key).
     */
    public static StaticRoutes parse(String text, int defaultPort) {
        Map<String, StaticRoute> routes = new HashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw bad(entry, "expected domain=host[:port][;match=name]");
            }
            String domainText = entry.substring(0, equals).strip();
            MailDomain domain = MailDomain.parse(domainText)
                    .orElseThrow(() -> bad(entry, "'" + domainText + "' is not a domain name"));
            // Neither host names nor addresses contain ';': what follows the first one is options.
            int semicolon = entry.indexOf(';', equals);
            String relayText = semicolon < 0 ? entry.substring(equals + 1) : entry.substring(equals + 1, semicolon);
            HostAndPort relay;
            try {
                relay = HostAndPort.parse(relayText, defaultPort);
            } catch (IllegalArgumentException e) {
                throw bad(entry, e.getMessage());
            }
            if (relay.literalAddress().isEmpty() && MailDomain.parse(relay.host()).isEmpty()) {
                throw bad(entry, "'" + relay.host() + "' is neither an IP address nor a host name");
            }
            Optional<String> match;
            try {
                match = semicolon < 0 ? Optional.empty() : match(entry.substring(semicolon + 1));
            } catch (IllegalArgumentException e) {
                throw bad(entry, e.getMessage());
            }
            if (routes.putIfAbsent(domain.text(), new StaticRoute(relay, match)) != null) {
                throw bad(entry, domain + " is routed twice");
            }
        }
        return new StaticRoutes(routes);
    }

    /** The options after the route's host, {@code match=name} the only one, each after a {@code ;}. */
    private static Optional<String> match(String options) {
        Optional<String> match = Optional.empty();
        for (String option : options.split(";", -1)) {
            int equals = option.indexOf('=');
            String name = (equals < 0 ? option : option.substring(0, equals)).strip();
            if (!name.equals(MATCH)) {
                throw new IllegalArgumentException(name.isEmpty() ? "nothing after ';'; expected match=name"
                        : "unknown option '" + option.strip() + "'; the only one is match=name");
            }
            String value = equals < 0 ? "" : option.substring(equals + 1).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("match= needs the host name the certificate must carry");
            }
            String host = MailDomain.parse(value).map(MailDomain::text).orElseThrow(() -> new IllegalArgumentException(
                    "match='" + value + "' is not a host name"));
            if (match.isPresent()) {
                throw new IllegalArgumentException("match= is given twice");
            }
            match = Optional.of(host);
        }
        return match;
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("bad entry '" + entry.strip() + "': " + why);
    }

    Optional<StaticRoute> routeFor(MailDomain domain) {
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
