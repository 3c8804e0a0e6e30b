package io.letterlock.events.tlscheck.config;

import io.letterlock.service.reach.ReachConfig;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TLS check's former copies of delivery's settings, which it no longer reads: it reaches a domain
 * with delivery's keys. A copy still set is refused at start, naming the key to set instead, rather
 * than read as an alias: an alias would keep a second value of the resolver or the allowed ranges
 * alive in events-service, and the check could again answer differently from delivery, which is
 * what one set of keys is for. On Kubernetes a refused start leaves the old pods serving (the
 * rollout waits for readiness), and the message says what to rename.
 */
@SuppressWarnings("deprecation")
public final class RetiredTlsCheckKeys {

    /** A retired key, the key read instead, and where the mapping holds its value. */
    record Retired(String key, String replacement, Function<RetiredTlsCheckSettings, Optional<String>> value) {
    }

    static final List<Retired> ALL = List.of(
            new Retired("letterlock.tls-check.resolver", ReachConfig.RESOLVER, RetiredTlsCheckSettings::resolver),
            new Retired("letterlock.tls-check.timeout.dns", ReachConfig.QUERY_TIMEOUT, s -> s.timeout().dns()),
            new Retired("letterlock.tls-check.max-mx-hosts", ReachConfig.MAX_MX_HOSTS, RetiredTlsCheckSettings::maxMxHosts),
            new Retired("letterlock.tls-check.routes", ReachConfig.ROUTES, RetiredTlsCheckSettings::routes),
            new Retired("letterlock.tls-check.port", ReachConfig.SMTP_PORT, RetiredTlsCheckSettings::port),
            new Retired("letterlock.tls-check.trust-pem", ReachConfig.TRUST_PEM, RetiredTlsCheckSettings::trustPem),
            new Retired("letterlock.tls-check.allow", ReachConfig.ALLOW, RetiredTlsCheckSettings::allow),
            new Retired("letterlock.tls-check.helo-name", ReachConfig.HELO_NAME, RetiredTlsCheckSettings::heloName),
            new Retired("letterlock.tls-check.receiver-rules.dnssec-mode", ReachConfig.DNSSEC_MODE,
                    s -> s.receiverRules().dnssecMode()),
            new Retired("letterlock.tls-check.receiver-rules.trust-anchor-file", ReachConfig.TRUST_ANCHOR_FILE,
                    s -> s.receiverRules().trustAnchorFile()),
            new Retired("letterlock.tls-check.receiver-rules.policy-port", ReachConfig.POLICY_PORT,
                    s -> s.receiverRules().policyPort()));

    private RetiredTlsCheckKeys() {
    }

    /**
     * @throws IllegalStateException naming every retired key that is set (as a property or as its
     *                               environment variable) and the key that replaces it
     */
    public static void refuseAnySet(RetiredTlsCheckSettings settings) {
        List<String> set = ALL.stream().filter(retired -> retired.value().apply(settings).isPresent())
                .map(retired -> retired.key() + " (" + variable(retired.key()) + ") → " + retired.replacement()
                        + " (" + variable(retired.replacement()) + ")")
                .toList();
        if (!set.isEmpty()) {
            throw new IllegalStateException("The TLS check reaches domains with delivery's settings and no longer "
                    + "reads its own copies of them. Set each value once, under delivery's key, for both "
                    + "delivery-service and events-service, and remove the old key: " + String.join("; ", set));
        }
    }

    /** MicroProfile Config's environment name of a key. */
    static String variable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
