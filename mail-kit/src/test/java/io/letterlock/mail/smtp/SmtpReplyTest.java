package io.letterlock.mail.smtp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpReplyTest {

    @Test
    void readsTheEnhancedStatusCodeOfTheFirstLine() {
        SmtpReply reply = new SmtpReply(451, List.of("4.7.1 Greylisted, try again", "later"));
        assertThat(reply.enhancedStatus()).contains("4.7.1");
        assertThat(reply.isTransientFailure()).isTrue();
        assertThat(reply.summary()).isEqualTo("451 4.7.1 Greylisted, try again later");
    }

    @Test
    void ignoresAnEnhancedCodeWhoseClassDisagreesWithTheReplyCode() {
        assertThat(new SmtpReply(550, List.of("2.0.0 odd server")).enhancedStatus()).isEmpty();
        assertThat(new SmtpReply(550, List.of("2.0.0 odd server")).statusOrDefault()).isEqualTo("5.0.0");
    }

    @Test
    void derivesAStatusWhenTheServerSentNone() {
        assertThat(new SmtpReply(250, List.of("Ok")).statusOrDefault()).isEqualTo("2.0.0");
        assertThat(new SmtpReply(250, List.of("Ok")).isPositiveCompletion()).isTrue();
    }
}
