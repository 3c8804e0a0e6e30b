package io.letterlock.delivery.intake.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MailboxSyntaxTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "alice@example.com",
            "Alice.Smith+tag@Mail.Example.COM",
            "o'brien@example.ie",
            "!#$%&'*+/=?^_`{|}~-@example.com",
            "\"john doe\"@example.com",
            "\"quoted \\\" quote\"@example.com",
            "leser@bücher.example",
            "user@xn--bcher-kva.example",
            "user@sub-domain.example.co.uk"})
    void acceptsDeliverableMailboxes(String address) {
        assertThat(MailboxSyntax.problem(address)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "",
            "alice",
            "@example.com",
            "alice@",
            "alice@example",
            "alice@@example.com",
            ".alice@example.com",
            "alice.@example.com",
            "al..ice@example.com",
            "al ice@example.com",
            "jürgen@example.com",
            "alice@exa mple.com",
            "alice@-example.com",
            "alice@example-.com",
            "alice@example..com",
            "alice@example.com.",
            "alice@192.0.2.1",
            "alice@[192.0.2.1]",
            "alice@[IPv6:2001:db8::1]",
            "alice@example.123",
            "alice@ex_ample.com",
            "\"unterminated@example.com"})
    void refusesWhatIsNotADeliverableMailbox(String address) {
        assertThat(MailboxSyntax.problem(address)).isPresent();
    }

    @Test
    void refusesALocalPartOver64Characters() {
        // RFC 5321 §4.5.3.1.1
        assertThat(MailboxSyntax.problem("a".repeat(64) + "@example.com")).isEmpty();
        assertThat(MailboxSyntax.problem("a".repeat(65) + "@example.com")).isPresent();
    }

    @Test
    void refusesAnAddressOver254Characters() {
        // RFC 5321 §4.5.3.1.3: a path of at most 256 octets, angle brackets included.
        String domain = "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + ".example";
        String fits = "a".repeat(254 - 1 - domain.length()) + "@" + domain;

        assertThat(MailboxSyntax.problem(fits)).isEmpty();
        assertThat(MailboxSyntax.problem("a" + fits)).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Bücher.Example", "xn--bcher-kva.example", "BÜCHER.example"})
    void domainsBecomeLowerCaseALabels(String domain) {
        assertThat(MailboxSyntax.asciiDomain(domain)).contains("xn--bcher-kva.example");
    }
}
