package io.letterlock.mail.mtasts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8461 §4.1: which MX hosts an {@code mx} pattern allows. */
class MtaStsMxPatternTest {

    @ParameterizedTest(name = "mx: {0} allows {1}: {2}")
    @CsvSource({
            "mail.example.com,   mail.example.com,    true",
            "mail.example.com,   MAIL.Example.COM,    true",
            "mail.example.com,   mail.example.com.,   true",
            "mail.example.com.,  mail.example.com,    true",
            "MAIL.EXAMPLE.COM,   mail.example.com,    true",
            "mail.example.com,   mail2.example.com,   false",
            "mail.example.com,   example.com,         false",
            "mail.example.com,   a.mail.example.com,  false",
            "*.example.com,      mx1.example.com,     true",
            "*.example.com,      MX1.EXAMPLE.COM.,    true",
            "*.example.com,      example.com,         false",
            "*.example.com,      a.b.example.com,     false",
            "*.example.com,      mx1.example.net,     false",
            "*.example.com,      mx1.notexample.com,  false",
            "*.example.com,      .example.com,        false",
            "*.Example.Com,      mx1.example.com,     true",
            "bücher.example,     xn--bcher-kva.example, true",
            "xn--bcher-kva.example, Bücher.example,   true"})
    void matchesAsRfc8461Says(String pattern, String mxHost, boolean allowed) {
        assertThat(MxPattern.parse(pattern).orElseThrow().matches(mxHost)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", ".", "*", "*.", "**.example.com", "*.*.example.com", "mx*.example.com",
            "mx.*.example.com", "a..example.com", "-mx.example.com", "mx_1.example.com", "mx example.com",
            "example.com/path"})
    void isNoPatternUnlessAHostNameOrAWildcardLabelAndADomain(String text) {
        assertThat(MxPattern.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource({"Mail.Example.COM., mail.example.com", "*.EXAMPLE.com, *.example.com", "bücher.example, xn--bcher-kva.example"})
    void keepsThePatternInTheFormItIsComparedIn(String text, String normalised) {
        assertThat(MxPattern.parse(text).orElseThrow().text()).isEqualTo(normalised);
    }
}
