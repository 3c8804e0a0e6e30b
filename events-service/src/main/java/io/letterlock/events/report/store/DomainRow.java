package io.letterlock.events.report.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One recipient domain of the report: its merged days and the shares derived from them. */
public record DomainRow(String domain, DomainDayStats stats) {

    static final int TOP_CERT_ERRORS = 5;

    /** delivered over TLS / messages, 4 places; null when there were no messages. */
    public Double tlsShare() {
        return share(stats.deliveredTls());
    }

    public Double validCertShare() {
        return share(stats.validCert());
    }

    private Double share(long part) {
        return stats.messages() == 0 ? null
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(stats.messages()), 4, RoundingMode.HALF_UP)
                .doubleValue();
    }

    /**
     * Messages by what protected them (valid certificate, TLS with a bad one, cleartext), by why
     * they bounced (blocked for missing TLS, other), and the deferred attempts: disjoint counts, so
     * a picture can stack them. A domain that was delivered over TLS with a self-signed certificate
     * is then never drawn like one with valid certificates.
     */
    static Map<String, Long> outcomes(DomainDayStats stats) {
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("valid_cert", stats.validCert());
        parts.put("tls_bad_cert", stats.deliveredTls() - stats.validCert());
        parts.put("cleartext", stats.delivered() - stats.deliveredTls());
        parts.put("blocked_no_tls", stats.blockedNoTls());
        parts.put("bounced_other", stats.bounced() - stats.blockedNoTls());
        parts.put("deferred", stats.deferred());
        return parts;
    }

    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("domain", domain);
        view.put("messages", stats.messages());
        view.put("attempts", stats.attempts());
        view.put("delivered", stats.delivered());
        view.put("delivered_tls", stats.deliveredTls());
        view.put("tls_share", tlsShare());
        view.put("valid_cert", stats.validCert());
        view.put("valid_cert_share", validCertShare());
        view.put("blocked_no_tls", stats.blockedNoTls());
        view.put("deferred_bad_cert", stats.deferredBadCert());
        // The parts of one stacked bar: what became of the domain's messages, and the deferrals.
        view.put("outcomes", outcomes(stats));
        view.put("policy_sources", stats.policySources());
        view.put("tls_versions", stats.tlsVersions());
        view.put("tls_ciphers", stats.tlsCiphers());
        List<Map<String, Object>> errors = stats.certErrors().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_CERT_ERRORS)
                .map(e -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("error", e.getKey());
                    entry.put("count", e.getValue());
                    return entry;
                })
                .toList();
        view.put("cert_errors", errors);
        return view;
    }
}
