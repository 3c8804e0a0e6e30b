package io.letterlock.mail.dkim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6376 §3.4.2 and §3.4.4, with §3.4.6's example. */
class RelaxedCanonicalizationTest {

    @Test
    void theRfcExampleHeadersBecomeLowerCaseUnfoldedAndSingleSpaced() {
        assertThat(RelaxedCanonicalization.header("A: X")).isEqualTo("a:X\r\n");
        assertThat(RelaxedCanonicalization.header("B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z\r\n");
    }

    @Test
    void theRfcExampleBodyLosesTrailingWhitespaceAndTrailingEmptyLines() {
        assertThat(RelaxedCanonicalization.body(" C \r\nD \t E\r\n\r\n\r\n")).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void anEmptyBodyOrOneOfEmptyLinesIsEmptyAndALastLineWithoutCrlfGetsOne() {
        assertThat(RelaxedCanonicalization.body("")).isEmpty();
        assertThat(RelaxedCanonicalization.body("\r\n\r\n")).isEmpty();
        assertThat(RelaxedCanonicalization.body("last line")).isEqualTo("last line\r\n");
        assertThat(RelaxedCanonicalization.body("a\r\n \t \r\nb  \r\n")).isEqualTo("a\r\n\r\nb\r\n");
    }

    @Test
    void aLineWithoutAColonIsNoHeaderField() {
        assertThatThrownBy(() -> RelaxedCanonicalization.header("no colon here"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
