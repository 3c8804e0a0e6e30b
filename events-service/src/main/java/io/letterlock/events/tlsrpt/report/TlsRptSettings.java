package io.letterlock.events.tlsrpt.report;

import java.util.Locale;
import java.util.Objects;

/**
 * Who a report says it comes from (RFC 8460 §4.4): plain values, so that building a report needs no
 * configuration machinery.
 *
 * @param organizationName {@code organization-name}
 * @param contactInfo      {@code contact-info}
 * @param submitter        the reporting domain, part of each {@code report-id}
 */
public record TlsRptSettings(String organizationName, String contactInfo, String submitter) {

    public TlsRptSettings {
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(contactInfo, "contactInfo");
        Objects.requireNonNull(submitter, "submitter");
    }

    /**
     * False while the submitter or the contact is a placeholder under {@code .invalid} (RFC 2606),
     * as the defaults are: a report must say truthfully who sent it and how to reach them, so none is
     * sent until the operator has said.
     */
    public boolean isConfigured() {
        return !isPlaceholder(submitter) && !isPlaceholder(contactInfo);
    }

    private static boolean isPlaceholder(String value) {
        String name = value.strip().toLowerCase(Locale.ROOT);
        return name.isEmpty() || name.endsWith(".invalid") || name.contains(".invalid/") || name.contains(".invalid>");
    }
}
