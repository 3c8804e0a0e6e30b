package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shortcut must give what IDN gives, and refuse what IDN refuses, under both sets of flags. */
class DomainNamesTest {

    private static final int[] FLAGS = {IDN.ALLOW_UNASSIGNED, IDN.USE_STD3_ASCII_RULES, 0};

    @Test
    void givesWhatIdnGivesForNamesOfEveryShape() {
        List<String> names = new ArrayList<>(List.of("example.com", "Example.COM", "a", "x-y.example", "xn--bcher-kva.example",
                "bücher.example", "BÜCHER.example", "ex_ample.com", "-lead.example", "trail-.example", "a..b", ".a", "a.",
                "a" + "b".repeat(62) + ".example", "a" + "b".repeat(63) + ".example", "1.2.3.4", "例え.テスト",
                "a\u3002b", "sp ace.example", "under_score", "--", "a.-", "xn--", "XN--ABC.example"));
        // Random names over an alphabet that reaches every branch: letters, digits, hyphens, dots, others.
        String alphabet = "abcXYZ019-.-._ éß";
        SplittableRandom random = new SplittableRandom(20261206);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 80 : 12);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(name.toString());
        }
        int shortcut = 0;
        for (String name : names) {
            for (int flags : FLAGS) {
                String expected;
                try {
                    expected = IDN.toASCII(name, flags);
                } catch (IllegalArgumentException e) {
                    assertThatThrownBy(() -> DomainNames.toAscii(name, flags)).as("%s, flags %d", name, flags)
                            .isInstanceOf(IllegalArgumentException.class);
                    continue;
                }
                assertThat(DomainNames.toAscii(name, flags)).as("%s, flags %d", name, flags).isEqualTo(expected);
            }
            shortcut += DomainNames.isPlainAscii(name) ? 1 : 0;
        }
        assertThat(shortcut).as("names that took the shortcut").isGreaterThan(1_000);
    }

    @Test
    void theLowerCaseFormIsTheAsciiFormLowerCasedAndRefusesWhatItRefuses() {
        assertThat(DomainNames.toAsciiLowerCase("MX1.Example-Mail.COM", IDN.USE_STD3_ASCII_RULES))
                .isEqualTo("mx1.example-mail.com");
        assertThat(DomainNames.toAsciiLowerCase("BÜCHER.Example", IDN.ALLOW_UNASSIGNED)).isEqualTo("xn--bcher-kva.example");
        assertThat(DomainNames.toAsciiLowerCase("XN--BCHER-KVA.example", IDN.ALLOW_UNASSIGNED))
                .isEqualTo("xn--bcher-kva.example");
        assertThatThrownBy(() -> DomainNames.toAsciiLowerCase("ex_ample.com", IDN.USE_STD3_ASCII_RULES))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void takesTheShortcutForPlainNamesOnly() {
        assertThat(DomainNames.isPlainAscii("mx1.Example-Mail.com")).isTrue();
        assertThat(List.of("bücher.example", "a..b", "a.", "", "-a.example", "a-.example", "ex_ample.com",
                "b".repeat(64) + ".example")).noneMatch(DomainNames::isPlainAscii);
    }
}
