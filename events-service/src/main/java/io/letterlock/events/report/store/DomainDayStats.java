package io.letterlock.events.report.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;

import java.util.Map;
import java.util.TreeMap;

/**
 * The TLS facts of one recipient domain, for one account, over one UTC day (one window) or, merged,
 * over a range of days.
 *
 * @param messages        final outcomes: delivered and bounce events
 * @param attempts        delivered, deferred and bounce events
 * @param deliveredTls    delivered with tls=1
 * @param validCert       delivered with tls=1 and cert_err=0
 * @param blockedNoTls    bounces of type blocked with status 5.7.4: TLS required, not offered
 * @param deferredBadCert deferred with cert_err=1: a valid certificate was required
 * @param tlsVersions     attempts over TLS by negotiated version
 * @param tlsCiphers      attempts over TLS by cipher suite
 * @param certErrors      attempts by why the certificate failed
 * @param policySources   delivered messages by the rule that decided their TLS ({@code policy.source}:
 *                        default, account, domain, …); absent in days stored before it was counted
 */
public record DomainDayStats(
        @JsonProperty("messages") long messages,
        @JsonProperty("attempts") long attempts,
        @JsonProperty("delivered") long delivered,
        @JsonProperty("delivered_tls") long deliveredTls,
        @JsonProperty("valid_cert") long validCert,
        @JsonProperty("blocked_no_tls") long blockedNoTls,
        @JsonProperty("deferred_bad_cert") long deferredBadCert,
        @JsonProperty("tls_versions") Map<String, Long> tlsVersions,
        @JsonProperty("tls_ciphers") Map<String, Long> tlsCiphers,
        @JsonProperty("cert_errors") Map<String, Long> certErrors,
        @JsonProperty("policy_sources") Map<String, Long> policySources) {

    /** docs/architecture.md: a drop for missing TLS is a blocked bounce with this enhanced status. */
    static final String TLS_REQUIRED_STATUS = "5.7.4";

    public DomainDayStats {
        tlsVersions = tlsVersions == null ? Map.of() : tlsVersions;
        tlsCiphers = tlsCiphers == null ? Map.of() : tlsCiphers;
        certErrors = certErrors == null ? Map.of() : certErrors;
        policySources = policySources == null ? Map.of() : policySources;
    }

    public static DomainDayStats empty() {
        return new DomainDayStats(0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** Whether an event is a delivery attempt, the only kind the report counts. */
    public static boolean counts(MailEvent event) {
        return event.event() == EventType.DELIVERED || event.event() == EventType.DEFERRED
                || event.event() == EventType.BOUNCE;
    }

    public DomainDayStats plus(MailEvent event) {
        if (!counts(event)) {
            return this;
        }
        boolean delivered = event.event() == EventType.DELIVERED;
        boolean bounce = event.event() == EventType.BOUNCE;
        boolean overTls = Integer.valueOf(1).equals(event.tls());
        boolean certBad = Integer.valueOf(1).equals(event.certErr());
        boolean certGood = Integer.valueOf(0).equals(event.certErr());
        return new DomainDayStats(
                messages + (delivered || bounce ? 1 : 0),
                attempts + 1,
                this.delivered + (delivered ? 1 : 0),
                deliveredTls + (delivered && overTls ? 1 : 0),
                validCert + (delivered && overTls && certGood ? 1 : 0),
                blockedNoTls + (bounce && event.type() == BounceType.BLOCKED
                        && TLS_REQUIRED_STATUS.equals(event.status()) ? 1 : 0),
                deferredBadCert + (event.event() == EventType.DEFERRED && certBad ? 1 : 0),
                overTls ? increment(tlsVersions, event.tlsVersion()) : tlsVersions,
                overTls ? increment(tlsCiphers, event.tlsCipher()) : tlsCiphers,
                increment(certErrors, event.certError()),
                delivered && event.policy() != null ? increment(policySources, event.policy().source()) : policySources);
    }

    /** Attempts that ended in a deferral: every attempt that was not a final outcome. */
    public long deferred() {
        return attempts - messages;
    }

    /** Final outcomes that were bounces (blocked for missing TLS included). */
    public long bounced() {
        return messages - delivered;
    }

    public DomainDayStats merge(DomainDayStats other) {
        return new DomainDayStats(messages + other.messages, attempts + other.attempts, delivered + other.delivered,
                deliveredTls + other.deliveredTls, validCert + other.validCert, blockedNoTls + other.blockedNoTls,
                deferredBadCert + other.deferredBadCert, sum(tlsVersions, other.tlsVersions),
                sum(tlsCiphers, other.tlsCiphers), sum(certErrors, other.certErrors),
                sum(policySources, other.policySources));
    }

    private static Map<String, Long> increment(Map<String, Long> counts, String name) {
        if (name == null || name.isBlank()) {
            return counts;
        }
        Map<String, Long> more = new TreeMap<>(counts);
        more.merge(name, 1L, Long::sum);
        return more;
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> all = new TreeMap<>(a);
        b.forEach((name, count) -> all.merge(name, count, Long::sum));
        return all;
    }
}
