package io.letterlock.events.tlsrpt.report;

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
}
