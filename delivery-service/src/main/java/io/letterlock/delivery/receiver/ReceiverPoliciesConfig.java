package io.letterlock.delivery.receiver;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What recipient domains may ask of delivery beyond the sender's policy. Both are on by default:
 * they are the receiving domain's request, and an account cannot turn them off.
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

        /**
         * {@code validate}: check DNSSEC here, from the trust anchor; {@code trust-resolver-ad}: believe
         * the AD bit of {@code letterlock.dns.resolver}, for an operator's own validating resolver.
         */
        @WithDefault("validate")
        String dnssecMode();

        /** DS or DNSKEY records to validate from; the IANA root KSKs when unset. */
        Optional<Path> trustAnchorFile();

        /** One DNSSEC-checked lookup, its chain of trust included. */
        @WithDefault("10s")
        Duration lookupTimeout();
    }
}
