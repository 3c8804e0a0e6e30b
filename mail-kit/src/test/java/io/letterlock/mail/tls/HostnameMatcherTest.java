package io.letterlock.mail.tls;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostnameMatcherTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "mx.example.com,   mx.example.com,    true",
            "*.example.com,    mx.example.com,    true",
            "*.example.com,    example.com,       false",
            "*.example.com,    a.mx.example.com,  false",
            "*.com,            example.com,       false",
            "mx.example.com,   mx2.example.com,   false",
            "m*.example.com,   mx.example.com,    false"})
    void wildcardOnlyAsTheWholeLeftMostLabel(String presented, String reference, boolean matches) {
        assertThat(HostnameMatcher.dnsNameMatches(presented, reference)).isEqualTo(matches);
    }
}
