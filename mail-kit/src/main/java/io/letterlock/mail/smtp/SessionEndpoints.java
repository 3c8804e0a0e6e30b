package io.letterlock.mail.smtp;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one SMTP connection ran, as a TLS report names a session (RFC 8460 §4.4
 * {@code sending-mta-ip}, {@code receiving-ip}, {@code receiving-mx-helo}).
 *
 * @param local        the address this side connected from
 * @param remote       the MX address connected to
 * @param greetingHost the name the server gave in its {@code 220} greeting, when it gave one
 */
public record SessionEndpoints(InetSocketAddress local, InetSocketAddress remote, Optional<String> greetingHost) {

    public SessionEndpoints {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(greetingHost, "greetingHost");
    }

    /** Where a greeted connection runs; empty once it is closed (its addresses are gone). */
    static Optional<SessionEndpoints> of(SmtpConnection connection, SmtpReply greeting) {
        InetSocketAddress local = connection.localAddress();
        InetSocketAddress remote = connection.remoteAddress();
        return local == null || remote == null ? Optional.empty()
                : Optional.of(new SessionEndpoints(local, remote, greetingHost(greeting)));
    }

    /** RFC 5321 §4.2: {@code 220 <domain> …}; the first word of the greeting's first line. */
    static Optional<String> greetingHost(SmtpReply greeting) {
        if (greeting.lines().isEmpty()) {
            return Optional.empty();
        }
        String first = greeting.lines().get(0).strip();
        int space = first.indexOf(' ');
        String host = space < 0 ? first : first.substring(0, space);
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }
}
