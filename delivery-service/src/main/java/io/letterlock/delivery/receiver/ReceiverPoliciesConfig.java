package io.letterlock.delivery.receiver;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * What recipient domains may ask of delivery beyond the sender's policy. Both are on by default:
 * they are the receiving domain's request, and an account cannot turn them off. How DNSSEC is judged
 * ({@code letterlock.dane.dnssec-mode}, {@code .trust-anchor-file}) and the policy hosts' port
 * ({@code letterlock.mta-sts.policy-port}) are shared with the TLS check: service-kit's {@code ReachConfig}.
 */
public final class ReceiverPoliciesConfig {

    private ReceiverPoliciesConfig() {
    }

    @ConfigMapping(prefix = "letterlock.mta-sts")
    public interface MtaSts {
        /** Honour recipient domains' MTA-STS policies (RFC 8461). */
        @WithDefault("true")
        boolean enabled();

        /** Connecting to a policy host; RFC 8461 §3.3 asks senders to allow a minute in all. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** A whole policy fetch, DNS included. */
        @WithDefault("60s")
        Duration fetchTimeout();
    }

    @ConfigMapping(prefix = "letterlock.dane")
    public interface Dane {
        /** Honour DNSSEC-signed TLSA records of MX hosts (RFC 7672). */
        @WithDefault("true")
        boolean enabled();

        /** One DNSSEC-checked lookup, its chain of trust included. */
        @WithDefault("10s")
        Duration lookupTimeout();
    }
}
