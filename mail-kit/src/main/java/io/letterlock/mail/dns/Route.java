package io.letterlock.mail.dns;

import java.util.List;
import java.util.Objects;

/**
 * Where mail for one recipient domain goes, or why it goes nowhere: the answer of
 * {@link MxResolver#resolve(String)}. Each kind says what the sender does next.
 */
public sealed interface Route {

    /**
     * Deliver: try the destinations in this order, and each one's addresses in their order, until
     * one accepts the message (RFC 5321 §5.1). Never empty.
     */
    record Destinations(List<Destination> destinations) implements Route {
        public Destinations {
            destinations = List.copyOf(destinations);
            if (destinations.isEmpty()) {
                throw new IllegalArgumentException("a route needs at least one destination");
            }
        }
    }

    /**
     * The domain publishes a null MX ({@code MX 0 .}, RFC 7505 §3) and accepts no mail: bounce
     * without trying, with reply code 556 and enhanced status code 5.1.10 (RFC 7505 §4).
     */
    record NullMx() implements Route {
    }

    /** The domain does not exist (NXDOMAIN): bounce (RFC 5321 §5.1, RFC 3463 5.1.2). */
    record NoSuchDomain() implements Route {
    }

    /**
     * The domain exists but names nowhere to deliver: no MX and no address of its own, or no MX host
     * with an address, or the text is not a domain name at all. Bounce (RFC 5321 §5.1: "MUST be
     * reported as an error").
     */
    record NoMailExchanger(String reason) implements Route {
        public NoMailExchanger {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * DNS could not answer now (SERVFAIL, timeout, refused): defer and retry later; the domain may
     * well be fine.
     */
    record TemporaryFailure(String reason) implements Route {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
