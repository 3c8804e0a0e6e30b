package io.letterlock.mail.smtp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EhloCapabilitiesTest {

    @Test
    void readsKeywordsAfterTheGreetingLine() {
        EhloCapabilities caps = EhloCapabilities.fromEhloReply(new SmtpReply(250, List.of(
                "mx.example.com Hello", "PIPELINING", "SIZE 10240000", "starttls", "8BITMIME", "SMTPUTF8")));
        assertThat(caps.startTls()).isTrue();
        assertThat(caps.pipelining()).isTrue();
        assertThat(caps.eightBitMime()).isTrue();
        assertThat(caps.smtpUtf8()).isTrue();
        assertThat(caps.maxSize()).hasValue(10_240_000);
    }

    @Test
    void theGreetingLineIsNotAKeyword() {
        EhloCapabilities caps = EhloCapabilities.fromEhloReply(new SmtpReply(250, List.of("STARTTLS")));
        assertThat(caps.startTls()).isFalse();
    }

    @Test
    void sizeZeroOrMissingMeansNoLimit() {
        assertThat(EhloCapabilities.fromEhloReply(new SmtpReply(250, List.of("h", "SIZE 0"))).maxSize()).isEmpty();
        assertThat(EhloCapabilities.fromEhloReply(new SmtpReply(250, List.of("h", "SIZE"))).maxSize()).isEmpty();
    }
}
