package io.letterlock.events.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Orders of the TLS report. {@code volume}: most messages first; {@code tls_share}: worst share
 * first, where attention is needed; a leading {@code -} reverses; ties go by domain name. Domains
 * without messages (no share) come last either way.
 */
public enum TlsReportSort {
    VOLUME("volume", Comparator.comparingLong((DomainRow r) -> r.stats().messages()).reversed()),
    VOLUME_ASCENDING("-volume", Comparator.comparingLong((DomainRow r) -> r.stats().messages())),
    TLS_SHARE("tls_share", Comparator.nullsLast(Comparator.<Double>naturalOrder()), false),
    TLS_SHARE_DESCENDING("-tls_share", Comparator.nullsLast(Comparator.<Double>reverseOrder()), false),
    DOMAIN("domain", Comparator.comparing(DomainRow::domain)),
    DOMAIN_DESCENDING("-domain", Comparator.comparing(DomainRow::domain).reversed());

    private final String wireName;
    private final Comparator<DomainRow> order;

    TlsReportSort(String wireName, Comparator<DomainRow> order) {
        this.wireName = wireName;
        this.order = order.thenComparing(DomainRow::domain);
    }

    TlsReportSort(String wireName, Comparator<Double> shares, boolean unused) {
        this(wireName, Comparator.comparing(DomainRow::tlsShare, shares));
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
