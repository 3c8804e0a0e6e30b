package io.letterlock.events.report.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** One recipient domain of the report: its merged days and the shares derived from them. */
public record DomainRow(String domain, DomainDayStats stats) {

    static final int TOP_CERT_ERRORS = 5;

    /**
     * Messages by what protected them (valid certificate, TLS with a bad one, cleartext), by why
     * they bounced (blocked for missing TLS, other), and the deferred attempts: disjoint counts, so
     * a picture can stack them. A domain that was delivered over TLS with a self-signed certificate
     * is then never drawn like one with valid certificates.
     */
    public record Outcomes(long validCert, long tlsBadCert, long cleartext, long blockedNoTls, long bouncedOther,
                           long deferred) {
    }

    /** One reason certificates failed, and how many attempts it failed. */
    public record CertErrorCount(String error, long count) {
    }

    /** delivered over TLS / messages, 4 places; null when there were no messages. */
    public Double tlsShare() {
        return share(stats.deliveredTls(), stats.messages());
    }

    public Double validCertShare() {
        return share(stats.validCert(), stats.messages());
    }

    public Outcomes outcomes() {
        return new Outcomes(stats.validCert(), stats.deliveredTls() - stats.validCert(),
                stats.delivered() - stats.deliveredTls(), stats.blockedNoTls(), stats.bounced() - stats.blockedNoTls(),
                stats.deferred());
    }

    /** The most common reasons certificates failed, most common first, ties by reason. */
    public List<CertErrorCount> topCertErrors() {
        return stats.certErrors().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_CERT_ERRORS)
                .map(e -> new CertErrorCount(e.getKey(), e.getValue()))
                .toList();
    }

    /** part / whole, rounded to 4 places; null when there is no whole. */
    static Double share(long part, long whole) {
        return whole == 0 ? null
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP).doubleValue();
    }
}
