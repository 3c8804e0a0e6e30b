package io.letterlock.policy.domains;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecipientDomainTest {

    @ParameterizedTest
    @CsvSource({
            "example.com, example.com",
            "Example.COM, example.com",
            "example.com., example.com",
            "mail.sub.example.co.uk, mail.sub.example.co.uk",
            "bücher.example, xn--bcher-kva.example",
            "xn--bcher-kva.example, xn--bcher-kva.example",
            "例え.テスト, xn--r8jz45g.xn--zckzah"})
    void normalisesToLowerCaseALabels(String input, String expected) {
        assertThat(RecipientDomain.normalize(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "com", "a..b", ".example.com", "-a.example", "a-.example", "a_b.example",
            "10.0.0.1", "exa mple.com", "example.com..", "*.example.com"})
    void rejectsWhatIsNotADomainName(String input) {
        assertThatIllegalArgumentException().isThrownBy(() -> RecipientDomain.normalize(input));
    }

    @Test
    void rejectsNamesLongerThan253Characters() {
        String label = "a".repeat(62);
        String longName = String.join(".", label, label, label, label, "example");
        assertThat(longName.length()).isGreaterThan(253);
        assertThatIllegalArgumentException().isThrownBy(() -> RecipientDomain.normalize(longName))
                .withMessageContaining("253");
    }
}
