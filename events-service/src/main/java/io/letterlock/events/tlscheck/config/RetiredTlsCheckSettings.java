package io.letterlock.events.tlscheck.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * The TLS check's former copies of delivery's settings, no longer read: declared only so that
 * SmallRye Config maps their names (else a start with one in application.properties fails with "does
 * not map to any root", naming no replacement) and {@link RetiredTlsCheckKeys} refuses the start
 * saying which key to set instead. Strings, so that any value is refused for what it is, not for
 * its type. Deprecated: k8s-checks refuses them in manifests as keys no longer read.
 */
@Deprecated
@ConfigMapping(prefix = "letterlock.tls-check")
public interface RetiredTlsCheckSettings {

    Optional<String> resolver();

    Optional<String> maxMxHosts();

    Optional<String> routes();

    Optional<String> port();

    Optional<String> trustPem();

    Optional<String> allow();

    Optional<String> heloName();

    Timeout timeout();

    ReceiverRules receiverRules();

    interface Timeout {
        Optional<String> dns();
    }

    interface ReceiverRules {
        Optional<String> dnssecMode();

        Optional<String> trustAnchorFile();

        Optional<String> policyPort();
    }
}
