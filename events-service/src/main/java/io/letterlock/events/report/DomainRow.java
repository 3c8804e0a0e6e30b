package io.letterlock.events.report;

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
