package io.letterlock.mail.tlsrpt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8460 §3's record, as the report sender will read {@code _smtp._tls.<domain>}. */
class TlsRptRecordTest {

    private static List<URI> targets(String... txt) {
        return TlsRptRecord.fromTxt(List.of(txt)).map(TlsRptRecord::targets).orElse(null);
    }

    @Test
    void theRfcsExamplesGiveTheirTargets() {
        assertThat(targets("v=TLSRPTv1; rua=mailto:reports@example.com"))
                .containsExactly(URI.create("mailto:reports@example.com"));
        assertThat(targets("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt"))
                .containsExactly(URI.create("https://reporting.example.com/v1/tlsrpt"));
        assertThat(targets("v=TLSRPTv1; rua=mailto:reports@example.com,https://reporting.example.com/v1/tlsrpt"))
                .containsExactly(URI.create("mailto:reports@example.com"),
                        URI.create("https://reporting.example.com/v1/tlsrpt"));
    }

    @Test
    void splitsTargetsByKind() {
        TlsRptRecord record = TlsRptRecord.fromTxt(List.of(
                "v=TLSRPTv1;rua=mailto:a@example.com , https://r.example/x ;")).orElseThrow();

        assertThat(record.mailtoTargets()).containsExactly(URI.create("mailto:a@example.com"));
        assertThat(record.httpsTargets()).containsExactly(URI.create("https://r.example/x"));
    }

    @Test
    void otherRecordsAtTheNameAreIgnoredButTwoTlsRptRecordsMeanNone() {
        assertThat(targets("some-verification=abc", "v=TLSRPTv1; rua=mailto:a@example.com"))
                .containsExactly(URI.create("mailto:a@example.com"));
        assertThat(targets("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com")).isNull();
        assertThat(targets()).isNull();
    }

    @Test
    void unknownExtensionsAreAllowedAndUnknownSchemesLeftOut() {
        assertThat(targets("v=TLSRPTv1; ext_1=value; rua=ftp://x.example/r,mailto:a@example.com"))
                .containsExactly(URI.create("mailto:a@example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=TLSRPTv1",                                   // no field
            "v=TLSRPTv1;",                                  // no rua
            "v=TLSRPTv10; rua=mailto:a@example.com",        // another version
            "V=TLSRPTv1; rua=mailto:a@example.com",         // %s: case-sensitive
            "v=TLSRPTv1; RUA=mailto:a@example.com",         // an extension, and then no rua
            "v=TLSRPTv1; rua=",                             // an empty target
            "v=TLSRPTv1; rua=mailto:a@example.com,,https://r.example/", // an empty target between
            "v=TLSRPTv1; rua=not a uri",                    // not a URI
            "v=TLSRPTv1; rua=ftp://r.example/",             // no target Letterlock can use
            "v=TLSRPTv1; rua=http://r.example/",            // http is not https
            "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", // two rua fields
            "v=TLSRPTv1; =x; rua=mailto:a@example.com",     // a field without a name
            " v=TLSRPTv1; rua=mailto:a@example.com",        // must begin with the version
    })
    void aRecordThatBreaksTheRulesGivesNoReport(String txt) {
        assertThat(TlsRptRecord.fromTxt(List.of(txt))).as(txt).isEmpty();
    }

    @Test
    void aRecordListingThousandsOfTargetsIsHeldToAFew() {
        String many = String.join(",", IntStream.range(0, 5_000).mapToObj(i -> "mailto:r" + i + "@example.com").toList());

        assertThat(targets("v=TLSRPTv1; rua=" + many)).hasSize(TlsRptRecord.MAX_TARGETS);
    }

    @Test
    void aTargetListedTwiceIsSentToOnce() {
        assertThat(targets("v=TLSRPTv1; rua=mailto:a@example.com,mailto:a@example.com"))
                .containsExactly(URI.create("mailto:a@example.com"));
    }
}
