package io.letterlock.mail.mtasts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8461 §3.2: reading a policy body, and which reason an invalid one gets. */
class MtaStsPolicyTest {

    private static MtaStsPolicy valid(String text) {
        ParsedPolicy parsed = MtaStsPolicy.parse(text);
        assertThat(parsed).isInstanceOf(ParsedPolicy.Valid.class);
        return ((ParsedPolicy.Valid) parsed).policy();
    }

    private static String invalid(String text) {
        ParsedPolicy parsed = MtaStsPolicy.parse(text);
        assertThat(parsed).isInstanceOf(ParsedPolicy.Invalid.class);
        return ((ParsedPolicy.Invalid) parsed).reason();
    }

    @Test
    void readsThePolicyOfTheRfcExample() {
        String text = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                + "mx: backupmx.example.com\r\nmax_age: 604800\r\n";

        MtaStsPolicy policy = valid(text);

        assertThat(policy.mode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(policy.mx()).extracting(MxPattern::text)
                .containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(policy.text()).isEqualTo(text);
    }

    @Test
    void readsLfLineEndingsAndALastLineWithoutOne() {
        assertThat(valid("version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400").mode())
                .isEqualTo(PolicyMode.TESTING);
    }

    @Test
    void readsValuesWithoutOrWithExtraWhiteSpace() {
        MtaStsPolicy policy = valid("version:STSv1\nmode:\tenforce  \nmx:   mx.example.com \t\nmax_age:86400\n");

        assertThat(policy.mode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(policy.mx()).extracting(MxPattern::text).containsExactly("mx.example.com");
    }

    @Test
    void ignoresUnknownFieldsWhateverTheirValue() {
        MtaStsPolicy policy = valid("version: STSv1\nmode: enforce\nrua: mailto:tls@example.com\nx-note:\n"
                + "future_field: ünïcödé value\nmx: mx.example.com\nmax_age: 86400\n");

        assertThat(policy.mx()).hasSize(1);
    }

    @Test
    void skipsBlankLines() {
        assertThat(valid("version: STSv1\n\nmode: enforce\r\n  \r\nmx: mx.example.com\nmax_age: 60\n\n").mode())
                .isEqualTo(PolicyMode.ENFORCE);
    }

    @Test
    void takesTheFirstOfARepeatedFieldOtherThanMx() {
        MtaStsPolicy policy = valid("version: STSv1\nmode: testing\nmode: enforce\nmode: bogus\nmx: mx.example.com\n"
                + "max_age: 60\nmax_age: 120\n");

        assertThat(policy.mode()).isEqualTo(PolicyMode.TESTING);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void allowsModeNoneWithoutMx() {
        MtaStsPolicy policy = valid("version: STSv1\nmode: none\nmax_age: 86400\n");

        assertThat(policy.mode()).isEqualTo(PolicyMode.NONE);
        assertThat(policy.mx()).isEmpty();
    }

    @ParameterizedTest(name = "max_age: {0} -> {1} s")
    @CsvSource({"0, 0", "86400, 86400", "31557600, 31557600", "31557601, 31557600", "9999999999, 31557600",
            "0000000060, 60"})
    void capsMaxAgeAtAYear(String maxAge, long seconds) {
        assertThat(valid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: " + maxAge + "\n").maxAge())
                .isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "mode: enforce\\nmx: mx.example.com\\nmax_age: 60                  | no version field",
            "version: STSv1\\nmx: mx.example.com\\nmax_age: 60                 | no mode field",
            "version: STSv1\\nmode: enforce\\nmx: mx.example.com               | no max_age field",
            "version: STSv1\\nmode: enforce\\nmax_age: 60                      | no mx field (required unless mode is none)",
            "version: STSv1\\nmode: testing\\nmax_age: 60                      | no mx field (required unless mode is none)",
            "version: STSv2\\nmode: enforce\\nmx: mx.example.com\\nmax_age: 60  | line 1: version 'STSv2' is not STSv1",
            "version: stsv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age: 60  | line 1: version 'stsv1' is not STSv1",
            "version: STSv1\\nmode: Enforce\\nmx: mx.example.com\\nmax_age: 60  | line 2: mode 'Enforce' is not enforce, testing or none",
            "version: STSv1\\nmode: strict\\nmx: mx.example.com\\nmax_age: 60   | line 2: mode 'strict' is not enforce, testing or none",
            "version: STSv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age: -1  | line 4: max_age '-1' is not 1 to 10 digits",
            "version: STSv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age: 1d  | line 4: max_age '1d' is not 1 to 10 digits",
            "version: STSv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age: 12345678901 | line 4: max_age '12345678901' is not 1 to 10 digits",
            "version: STSv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age:     | line 4: max_age '' is not 1 to 10 digits",
            "version: STSv1\\nmode: enforce\\nmx: mx*.example.com\\nmax_age: 60 | line 3: mx 'mx*.example.com' is neither a host name nor *.domain",
            "version: STSv1\\nmode: enforce\\nmx:\\nmax_age: 60                    | line 3: mx '' is neither a host name nor *.domain",
            "version: STSv1\\nmode enforce\\nmx: mx.example.com\\nmax_age: 60   | line 2: 'mode enforce' is not 'name: value'",
            "version: STSv1\\n mode: enforce\\nmx: mx.example.com\\nmax_age: 60 | line 2: ' mode' is not a field name",
            "<html><body>Not found</body></html>                             | line 1: '<html><body>Not found</body></html>' is not 'name: value'",
            "''                                                               | no version field"})
    void rejectsAnInvalidPolicyWithTheReason(String text, String reason) {
        assertThat(invalid(text.replace("\\n", "\n"))).isEqualTo(reason);
    }

    @Test
    void permitsTheMxHostsItsPatternsMatch() {
        MtaStsPolicy policy = valid("version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 60\n");

        assertThat(policy.permits("mail.example.com")).isTrue();
        assertThat(policy.permits("mx1.example.net.")).isTrue();
        assertThat(policy.permits("example.net")).isFalse();
        assertThat(policy.permits("mx.attacker.example")).isFalse();
    }
}
