package io.letterlock.events.tlsrpt.report;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Reports go out only once the operator has said who sends them: the .invalid placeholders send nothing. */
class TlsRptSettingsTest {

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
            "letterlock.invalid, postmaster@letterlock.invalid, false",
            "reports.example.net, postmaster@letterlock.invalid, false",
            "letterlock.invalid, tls@example.net, false",
            "reports.example.net, https://example.invalid/contact, false",
            "reports.example.net, '', false",
            "reports.example.net, tls@example.net, true",
            "reports.example.net, https://example.net/tls-contact, true",
            "invalid.example.net, tls@invalid.example.net, true"})
    void configuredOnlyWithoutPlaceholders(String submitter, String contact, boolean configured) {
        assertThat(new TlsRptSettings("Org", contact, submitter).isConfigured()).isEqualTo(configured);
    }
}
