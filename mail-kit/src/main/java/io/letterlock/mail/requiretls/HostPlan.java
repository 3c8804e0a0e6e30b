package io.letterlock.mail.requiretls;

import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.tls.HostTlsPolicy;

import java.util.Objects;
import java.util.Optional;

/** What a delivery attempt does with one MX host before connecting to it: {@link RequireTlsDecisions#beforeConnect}. */
public sealed interface HostPlan {

    /**
     * Connect, and hold the connection to {@code host}.
     *
     * @param observed an MTA-STS policy in {@code testing} mode the session is judged against, for
     *                 the record only (RFC 8461 §5)
     */
    record Connect(HostTlsPolicy host, Optional<MtaStsPolicy> observed) implements HostPlan {
        public Connect {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(observed, "observed");
        }
    }

    /** The receiving domain's rules rule the host out for now (defer; another MX may serve). */
    record ReceiverRefused(HostRequirement.Refused refused) implements HostPlan {
    }

    /**
     * A REQUIRETLS message may not go to this host, and nothing would change that by trying it now
     * (RFC 8689 §4.2.1): skip it; when no host qualifies, the message bounces.
     *
     * @param detail why, in words, e.g. {@link RequireTlsDecisions#NOT_FOUND_SECURELY}
     */
    record FallsShort(String detail) implements HostPlan {
        public FallsShort {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
