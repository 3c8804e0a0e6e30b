package io.letterlock.events.report.store;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Orders of the TLS report. {@code volume}: most messages first; {@code tls_share} and
 * {@code valid_cert_share}: worst share first, where attention is needed; a leading {@code -}
 * reverses; ties go by domain name. Domains without messages (no share) come last either way.
 */
public enum TlsReportSort {
    VOLUME("volume", Comparator.comparingLong((DomainRow r) -> r.stats().messages()).reversed()),
    VOLUME_ASCENDING("-volume", Comparator.comparingLong((DomainRow r) -> r.stats().messages())),
    TLS_SHARE("tls_share", worstFirst(DomainRow::tlsShare)),
    TLS_SHARE_DESCENDING("-tls_share", bestFirst(DomainRow::tlsShare)),
    VALID_CERT_SHARE("valid_cert_share", worstFirst(DomainRow::validCertShare)),
    VALID_CERT_SHARE_DESCENDING("-valid_cert_share", bestFirst(DomainRow::validCertShare)),
    DOMAIN("domain", Comparator.comparing(DomainRow::domain)),
    DOMAIN_DESCENDING("-domain", Comparator.comparing(DomainRow::domain).reversed());

    private final String wireName;
    private final Comparator<DomainRow> order;

    TlsReportSort(String wireName, Comparator<DomainRow> order) {
        this.wireName = wireName;
        this.order = order.thenComparing(DomainRow::domain);
    }

    private static Comparator<DomainRow> worstFirst(Function<DomainRow, Double> share) {
        return Comparator.comparing(share, Comparator.nullsLast(Comparator.<Double>naturalOrder()));
    }

    private static Comparator<DomainRow> bestFirst(Function<DomainRow, Double> share) {
        return Comparator.comparing(share, Comparator.nullsLast(Comparator.<Double>reverseOrder()));
    }

    public String wireName() {
        return wireName;
    }

    public Comparator<DomainRow> order() {
        return order;
    }

    public static Optional<TlsReportSort> parse(String text) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(text)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(TlsReportSort::wireName).collect(Collectors.joining(", "));
    }
}
