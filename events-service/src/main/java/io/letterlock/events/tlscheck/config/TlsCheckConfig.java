package io.letterlock.events.tlscheck.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v3/tls/check/{domain}}: how receiving domains are looked at, and the limits that keep
 * the endpoint from being used to hammer someone else's mail servers.
 */
@ConfigMapping(prefix = "letterlock.tls-check")
public interface TlsCheckConfig {

    /** DNS resolver {@code host[:port]} for MX lookups; unset: the system's nameservers. */
    Optional<String> resolver();

    /**
     * Static routes {@code domain=host[:port][;match=name],…}, in the format of delivery's {@code letterlock.routes};
     * operator configuration, so their addresses are trusted even when private.
     */
    Optional<String> routes();

    /** SMTP port of MX hosts (and of routes that name none). */
    @WithDefault("25")
    int port();

    /** Extra CAs (PEM) trusted for MX certificates, added to the JVM's, as delivery's {@code letterlock.trust-pem}. */
    Optional<Path> trustPem();

    /** CIDR ranges MX addresses from DNS may be in although loopback, private or link-local. */
    Optional<List<String>> allow();

    /** MX hosts looked at per domain, best preference first. */
    @WithDefault("5")
    int maxMxHosts();

    /** How long a domain's answer is served from the cache, to every account. */
    @WithDefault("10m")
    Duration cacheTtl();

    /** Probes running at once over all accounts; beyond it a new check gets 503. */
    @WithDefault("4")
    int maxConcurrentProbes();

    /** New probes (not cached answers) one account may start per minute; beyond it 429. */
    @WithDefault("10")
    int probesPerAccountPerMinute();

    /** The name given in EHLO; the machine's host name when unset. */
    Optional<String> heloName();

    Timeout timeout();

    /** The receiving domain's own rules, looked up as delivery looks them up. */
    ReceiverRules receiverRules();

    interface ReceiverRules {

        /** Fetch and show the domain's MTA-STS policy, and let it decide the verdicts. */
        @WithDefault("true")
        boolean mtaSts();

        /** Look up DANE (DNSSEC-signed TLSA records) for each MX host. */
        @WithDefault("true")
        boolean dane();

        /** {@code validate} or {@code trust-resolver-ad}, as {@code letterlock.dane.dnssec-mode}. */
        @WithDefault("validate")
        String dnssecMode();

        /** DS or DNSKEY records to validate from; the IANA root KSKs when unset. */
        Optional<Path> trustAnchorFile();

        /** The HTTPS port of MTA-STS policy hosts: 443 (RFC 8461 §3.3); another only for tests. */
        @WithDefault("443")
        int policyPort();
    }

    interface Timeout {

        /** One DNS question, retries included. */
        @WithDefault("5s")
        Duration dns();

        /** TCP connect to one MX address. */
        @WithDefault("10s")
        Duration connect();

        /** The greeting and each command's reply (EHLO, STARTTLS, QUIT). */
        @WithDefault("10s")
        Duration command();

        /** One TLS handshake. */
        @WithDefault("10s")
        Duration tlsHandshake();

        /** A whole check; hosts not done by then are reported as timed out. */
        @WithDefault("30s")
        Duration total();
    }
}
