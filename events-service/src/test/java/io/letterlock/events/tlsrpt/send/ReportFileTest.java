package io.letterlock.events.tlsrpt.send;

import io.letterlock.events.tlsrpt.report.TlsReportDocument.DateRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The submitted form of a report: RFC 8460 §5.1 name, gzipped JSON. */
class ReportFileTest {

    private static final byte[] JSON = "{\"organization-name\":\"Letterlock\",\"report-id\":\"x\"}"
            .getBytes(StandardCharsets.UTF_8);
    // 2016-08-01T00:00:00Z .. 2016-08-01T23:59:59Z
    private static final DateRange AUGUST_FIRST = new DateRange("2016-08-01T00:00:00Z", "2016-08-01T23:59:59Z");

    @Test
    void gunzipGivesBackTheExactJsonBytes() throws IOException {
        ReportFile file = ReportFile.of("mail.sender.example.com", "example.com", AUGUST_FIRST, JSON, Optional.empty());

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file.gzipped()))) {
            assertThat(in.readAllBytes()).isEqualTo(JSON);
        }
    }

    @Test
    void isNamedSubmitterPolicyDomainBeginEndAndUniqueIdAsInTheRfcExample() {
        ReportFile file = ReportFile.of("mail.sender.example.com", "example.com", AUGUST_FIRST, JSON, Optional.of("001"));

        assertThat(file.name()).isEqualTo("mail.sender.example.com!example.com!1470009600!1470095999!001.json.gz");
    }

    @Test
    void leavesTheUniqueIdOutWhenThereIsNone() {
        ReportFile file = ReportFile.of("mail.sender.example.com", "Example.COM", AUGUST_FIRST, JSON, Optional.empty());

        assertThat(file.name()).isEqualTo("mail.sender.example.com!example.com!1470009600!1470095999.json.gz");
    }

    @Test
    void refusesAUniqueIdThatIsNotLettersAndDigits() {
        assertThatThrownBy(() -> ReportFile.of("s.example", "example.com", AUGUST_FIRST, JSON, Optional.of("a!b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesADomainThatWouldBreakTheNamesFields() {
        assertThatThrownBy(() -> ReportFile.of("s.example", "exa!mple.com", AUGUST_FIRST, JSON, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
