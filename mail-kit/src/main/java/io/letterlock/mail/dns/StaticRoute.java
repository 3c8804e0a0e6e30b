package io.letterlock.mail.dns;

import java.util.Objects;
import java.util.Optional;

/**
 * One static route: where a domain's mail goes, and the name the server's certificate must carry.
 *
 * @param relay the host (name or IP address) and port mail goes to
 * @param match the host name the certificate is verified against, when it is not the relay's own
 *              host ({@code ;match=}, after Postfix's {@code match=} in smtp_tls_policy_maps): a
 *              route to an IP address has no name otherwise, so a valid certificate could never be
 *              required through it. Lower-case A-labels, no trailing dot.
 */
record StaticRoute(HostAndPort relay, Optional<String> match) {

    StaticRoute {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(match, "match");
    }

    @Override
    public String toString() {
        return relay + match.map(name -> ";match=" + name).orElse("");
    }
}
