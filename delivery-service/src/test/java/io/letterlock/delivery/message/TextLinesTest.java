package io.letterlock.delivery.message;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextLinesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no break         | a                 | a",
            "CRLF             | a\\r\\nb          | a,b",
            "bare LF          | a\\nb             | a,b",
            "lone CR          | a\\rb             | a,b",
            "mixed            | a\\r\\nb\\nc\\rd  | a,b,c,d",
            "trailing CRLF    | a\\r\\n           | a,",
            "CR then CRLF     | \\r\\r\\n         | ,,",
            "LF then CR       | a\\n\\rb          | a,,b",
            "empty            | ''                | ''",
    })
    void splitsOnEveryKindOfLineBreak(String name, String escaped, String expected) {
        String[] lines = TextLines.split(unescape(escaped));

        assertThat(String.join(",", lines)).isEqualTo(expected);
        assertThat(lines).hasSize(expected.split(",", -1).length);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "already CRLF     | a\\r\\nb\\r\\n     | a\\r\\nb\\r\\n",
            "bare LF          | a\\nb\\n           | a\\r\\nb\\r\\n",
            "lone CR          | a\\rb              | a\\r\\nb",
            "CR at the end    | a\\r               | a\\r\\n",
            "no break         | abc                | abc",
    })
    void rewritesEveryLineBreakAsCrlf(String name, String escaped, String expected) {
        assertThat(TextLines.withCrlf(unescape(escaped))).isEqualTo(unescape(expected));
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n");
    }
}
