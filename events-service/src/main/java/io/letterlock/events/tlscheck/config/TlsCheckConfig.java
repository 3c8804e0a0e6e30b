package io.letterlock.events.tlscheck.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code GET /v3/tls/check/{domain}}: what is the check's own, the limits that keep the endpoint from
 * being used to hammer someone else's mail servers and its short waits. How a domain is reached
 * (resolver, routes, port, trust, allowed ranges, EHLO name, DNSSEC) is delivery's, read from the
 * same keys ({@link io.letterlock.service.reach.ReachConfig}); the keys this mapping once had for them
 * are refused ({@link RetiredTlsCheckKeys}).
 */
@ConfigMapping(prefix = "letterlock.tls-check")
public interface TlsCheckConfig {

    /** How long a domain's answer is served from the cache, to every account. */
    @WithDefault("10m")
    Duration cacheTtl();

    /** Probes running at once over all accounts; beyond it a new check gets 503. */
    @WithDefault("4")
    int maxConcurrentProbes();

    /** New probes (not cached answers) one account may start per minute; beyond it 429. */
    @WithDefault("10")
    int probesPerAccountPerMinute();

    Timeout timeout();

    /** Whether the receiving domain's own rules are looked up, as delivery looks them up. */
    ReceiverRules receiverRules();

    interface ReceiverRules {

        /** Fetch and show the domain's MTA-STS policy, and let it decide the verdicts. */
        @WithDefault("true")
        boolean mtaSts();

        /** Look up DANE (DNSSEC-signed TLSA records) for each MX host. */
        @WithDefault("true")
        boolean dane();
    }

    /** Short waits: the check looks, it does not deliver. DNS questions take delivery's {@code letterlock.dns.query-timeout}. */
    interface Timeout {

        /** TCP connect to one MX address, or to an MTA-STS policy host. */
        @WithDefault("10s")
        Duration connect();

        /** The greeting and each command's reply (EHLO, STARTTLS, QUIT). */
        @WithDefault("10s")
        Duration command();

        /** One TLS handshake. */
        @WithDefault("10s")
        Duration tlsHandshake();

        /**
         * A whole check; hosts not done by then are reported as timed out. Also bounds an MTA-STS
         * policy fetch and a DNSSEC-checked lookup.
         */
        @WithDefault("30s")
        Duration total();
    }
}
