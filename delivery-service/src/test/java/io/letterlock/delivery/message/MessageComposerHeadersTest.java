package io.letterlock.delivery.message;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.SendJob;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static io.letterlock.delivery.message.ParsedMessage.headerLines;
import static io.letterlock.delivery.message.ParsedMessage.parse;
import static io.letterlock.delivery.message.ParsedMessage.text;
import static io.letterlock.delivery.message.TestJob.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageComposerHeadersTest {

    private final MessageComposer composer = new MessageComposer("mta1.letterlock.example");

    @Test
    void datesTheMessageWhenTheJobWasCreatedInRfc5322Format() {
        ComposedMessage message = composer.compose(job().build());

        assertThat(headerLines(message)).contains("Date: Tue, 1 Jul 2025 10:52:37 +0000");
    }

    @Test
    void datesAScheduledMessageWhenItIsDue() {
        ComposedMessage message = composer.compose(job().sendAt(Instant.parse("2025-07-02T08:00:00Z")).build());

        assertThat(headerLines(message)).contains("Date: Wed, 2 Jul 2025 08:00:00 +0000");
    }

    @Test
    void messageIdIsTheJobIdAtTheConfiguredHost() throws Exception {
        SendJob job = job().jobId("k3J9xQ2mR5tW8yB1nD4fGh").build();

        ComposedMessage message = composer.compose(job);

        assertThat(message.messageId()).isEqualTo("<k3J9xQ2mR5tW8yB1nD4fGh@mta1.letterlock.example>");
        assertThat(composer.messageId(job)).isEqualTo(message.messageId());
        assertThat(parse(message).getMessageID()).isEqualTo(message.messageId());
    }

    @Test
    void jobIdThatIsNotDotAtomTextBecomesADigestInTheMessageId() {
        String messageId = composer.messageId(job().jobId("job id with spaces@and>brackets").build());

        assertThat(messageId).matches("<[0-9a-f]{32}@mta1\\.letterlock\\.example>");
    }

    @Test
    void refusesAnIdHostThatIsNotAHostName() {
        assertThatThrownBy(() -> new MessageComposer("not a host>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letterlock.message.id-host");
    }

    @Test
    void asciiDisplayNameIsQuoted() throws Exception {
        ComposedMessage message = composer.compose(job().from(new EmailAddress("news@shop.example", "Shop \"Best\" News")).build());

        assertThat(headerLines(message)).contains("From: \"Shop \\\"Best\\\" News\" <news@shop.example>");
        InternetAddress from = (InternetAddress) parse(message).getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("Shop \"Best\" News");
    }

    @Test
    void nonAsciiDisplayNameIsAnEncodedWordThatDecodesBack() throws Exception {
        ComposedMessage message = composer.compose(job().from(new EmailAddress("jurgen@shop.example", "Jürgen Müller")).build());

        assertThat(headerLines(message)).contains("From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jurgen@shop.example>");
        InternetAddress from = (InternetAddress) parse(message).getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("Jürgen Müller");
        assertThat(from.getAddress()).isEqualTo("jurgen@shop.example");
    }

    @Test
    void nonAsciiSubjectIsEncodedWordsThatDecodeBack() throws Exception {
        String subject = "Ihre Bestellung ist unterwegs 🚚 — Größe L, 数量 2";

        ComposedMessage message = composer.compose(job().subject(subject).build());

        assertThat(text(message)).contains("Subject: =?UTF-8?Q?");
        assertThat(parse(message).getSubject()).isEqualTo(subject);
    }

    @Test
    void longSubjectIsFoldedAtWhiteSpaceIntoShortLines() throws Exception {
        String subject = String.join(" ", Collections.nCopies(40, "shipment"));

        ComposedMessage message = composer.compose(job().subject(subject).build());

        assertThat(headerLines(message)).hasSizeGreaterThan(10)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(parse(message).getSubject()).isEqualTo(subject);
    }

    @Test
    void everyHeaderLineHoldingAnEncodedWordIsAtMost76Characters() throws Exception {
        // RFC 2047 §2; the first word shares its line with the header's name.
        String name = "Jürgen Müller-Lüdenscheidt von und zu Hohenzollern-Sigmaringen";
        String subject = "Grüße — " + "ein ziemlich langer Betreff ".repeat(5);

        ComposedMessage message = composer.compose(job()
                .from(new EmailAddress("jurgen@shop.example", name))
                .replyTo(new EmailAddress("jurgen@shop.example", name))
                .subject(subject)
                .header("X-A-Rather-Long-Header-Name", subject)
                .build());

        assertThat(headerLines(message)).filteredOn(line -> line.contains("=?UTF-8?Q?")).hasSizeGreaterThan(8)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        MimeMessage parsed = parse(message);
        assertThat(parsed.getSubject()).isEqualTo(subject.strip());
        assertThat(((InternetAddress) parsed.getFrom()[0]).getPersonal()).isEqualTo(name);
        assertThat(((InternetAddress) parsed.getReplyTo()[0]).getPersonal()).isEqualTo(name);
    }

    @Test
    void showsTheToAndCcListsOfTheJobHeadersAndNeverBcc() throws Exception {
        SendJob job = job()
                .to(EmailAddress.of("hidden@example.net"))
                .header("To", "\"Alice\" <alice@example.com>, bob@example.org")
                .header("Cc", "carol@example.com")
                .build();

        ComposedMessage message = composer.compose(job);

        MimeMessage parsed = parse(message);
        assertThat(addresses(parsed.getRecipients(Message.RecipientType.TO)))
                .containsExactly("alice@example.com", "bob@example.org");
        assertThat(addresses(parsed.getRecipients(Message.RecipientType.CC))).containsExactly("carol@example.com");
        assertThat(parsed.getHeader("Bcc")).isNull();
        assertThat(text(message)).doesNotContain("hidden@example.net");
    }

    @Test
    void withoutAToHeaderTheEnvelopeRecipientIsShown() throws Exception {
        ComposedMessage message = composer.compose(job().to(new EmailAddress("alice@example.com", "Alice")).build());

        assertThat(headerLines(message)).contains("To: \"Alice\" <alice@example.com>");
        assertThat(parse(message).getHeader("Cc")).isNull();
    }

    @Test
    void unicodeDomainsAreWrittenAsALabels() throws Exception {
        ComposedMessage message = composer.compose(job()
                .from(EmailAddress.of("info@bücher.example"))
                .to(EmailAddress.of("leser@bücher.example"))
                .build());

        assertThat(headerLines(message)).contains("From: info@xn--bcher-kva.example", "To: leser@xn--bcher-kva.example");
    }

    @Test
    void replyToIsWrittenOnlyWhenTheJobHasOne() throws Exception {
        ComposedMessage with = composer.compose(job().replyTo(EmailAddress.of("support@shop.example")).build());
        ComposedMessage without = composer.compose(job().build());

        assertThat(headerLines(with)).contains("Reply-To: support@shop.example");
        assertThat(parse(without).getHeader("Reply-To")).isNull();
    }

    @Test
    void sendersHeadersAreWrittenInTheirOrder() {
        ComposedMessage message = composer.compose(job()
                .header("X-Campaign", "spring")
                .header("List-Unsubscribe", "<mailto:unsubscribe@shop.example>")
                .header("X-Priority", "3")
                .build());

        List<String> lines = headerLines(message);
        assertThat(lines).containsSubsequence("X-Campaign: spring",
                "List-Unsubscribe: <mailto:unsubscribe@shop.example>", "X-Priority: 3");
    }

    @Test
    void reservedAndInvalidHeaderNamesInTheJobAreSkipped() throws Exception {
        // Any producer may write to send-jobs, not only intake, which refuses these.
        ComposedMessage message = composer.compose(job()
                .header("Bcc", "spy@evil.example")
                .header("content-type", "text/html")
                .header("X-Letterlock-Message-Id", "forged")
                .header("Return-Path", "<bounce@evil.example>")
                .header("Bad Name", "x")
                .build());

        MimeMessage parsed = parse(message);
        assertThat(parsed.getHeader("Bcc")).isNull();
        assertThat(parsed.getHeader("Return-Path")).isNull();
        assertThat(parsed.getHeader("Content-Type")).containsExactly("text/plain; charset=UTF-8");
        assertThat(parsed.getHeader("X-Letterlock-Message-Id")).containsExactly("Zq8rT1vW3xY5zA7bC9dE0f");
        assertThat(text(message)).doesNotContain("Bad Name");
    }

    @Test
    void aLineBreakInAHeaderValueCannotStartAnotherHeader() throws Exception {
        ComposedMessage message = composer.compose(job()
                .header("X-Note", "hello\r\nBcc: spy@evil.example")
                .subject("Hi\nBcc: spy@evil.example")
                .build());

        MimeMessage parsed = parse(message);
        assertThat(parsed.getHeader("Bcc")).isNull();
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(parsed.getHeader("X-Note")[0]))
                .isEqualTo("hello\r\nBcc: spy@evil.example");
    }

    @Test
    void writesTheMimeVersionAndTheRequestsMessageId() throws Exception {
        MimeMessage parsed = parse(composer.compose(job().build()));

        assertThat(parsed.getHeader("MIME-Version")).containsExactly("1.0");
        assertThat(parsed.getHeader("X-Letterlock-Message-Id")).containsExactly("Zq8rT1vW3xY5zA7bC9dE0f");
    }

    private static List<String> addresses(jakarta.mail.Address[] addresses) {
        return Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }
}
