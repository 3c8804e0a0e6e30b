package io.letterlock.delivery.message;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;
import io.letterlock.mail.smtp.MessageData;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.letterlock.delivery.message.ParsedMessage.lines;
import static io.letterlock.delivery.message.ParsedMessage.parse;
import static io.letterlock.delivery.message.ParsedMessage.text;
import static io.letterlock.delivery.message.TestJob.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageComposerBodyTest {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

    private final MessageComposer composer = new MessageComposer("mta1.letterlock.example");

    @Test
    void asciiPlainTextIsSentAsSevenBitLinesUnchanged() throws Exception {
        ComposedMessage message = composer.compose(job().content(MailContent.plain("Hello Alice,\nyour order = shipped.\n")).build());

        MimeMessage parsed = parse(message);
        assertThat(parsed.getContentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(parsed.getEncoding()).isEqualTo("7bit");
        assertThat(text(message)).endsWith("\r\n\r\nHello Alice,\r\nyour order = shipped.\r\n\r\n");
    }

    @Test
    void nonAsciiTextIsQuotedPrintableUtf8AndDecodesBack() throws Exception {
        String body = "Grüße aus Köln — 日本語 ✓\r\nZeile zwei";

        ComposedMessage message = composer.compose(job().content(MailContent.plain(body)).build());

        MimeMessage parsed = parse(message);
        assertThat(parsed.getEncoding()).isEqualTo("quoted-printable");
        assertThat(parsed.getContentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(text(message)).contains("Gr=C3=BC=C3=9Fe");
        // A single-part body ends with the message's last CRLF (RFC 5322 §2.1: lines end in CRLF).
        assertThat(parsed.getContent()).isEqualTo(body + "\r\n");
    }

    @Test
    void quotedPrintableKeepsTrailingWhiteSpaceAndEqualsSigns() throws Exception {
        String body = "a = b \r\nindented\t\r\nend";

        MimeMessage parsed = parse(composer.compose(job().content(MailContent.plain(body + " ü")).build()));

        assertThat(parsed.getContent()).isEqualTo(body + " ü\r\n");
    }

    @Test
    void htmlAloneIsOneTextHtmlPart() throws Exception {
        MimeMessage parsed = parse(composer.compose(job().content(MailContent.html("<p>Hello</p>")).build()));

        assertThat(parsed.getContentType()).isEqualTo("text/html; charset=UTF-8");
        assertThat(parsed.getContent()).isEqualTo("<p>Hello</p>\r\n");
    }

    @Test
    void plainAndHtmlBecomeMultipartAlternativeWithPlainFirst() throws Exception {
        SendJob job = job().content(MailContent.plain("Hello — plain"), MailContent.html("<p>Hello — html</p>")).build();

        MimeMessage parsed = parse(composer.compose(job));

        assertThat(parsed.getContentType()).startsWith("multipart/alternative;");
        MimeMultipart multipart = (MimeMultipart) parsed.getContent();
        assertThat(multipart.getCount()).isEqualTo(2);
        BodyPart plain = multipart.getBodyPart(0);
        BodyPart html = multipart.getBodyPart(1);
        assertThat(plain.getContentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(plain.getContent()).isEqualTo("Hello — plain");
        assertThat(html.getContentType()).isEqualTo("text/html; charset=UTF-8");
        assertThat(html.getContent()).isEqualTo("<p>Hello — html</p>");
    }

    @Test
    void boundaryIsNeverOneThatOccursInTheContent() throws Exception {
        SendJob probe = job().content(MailContent.plain("a"), MailContent.html("b")).build();
        String usual = boundaryOf(composer.compose(probe));
        String plain = "--" + usual + "\r\nContent-Type: text/html\r\n\r\nforged part";
        SendJob tricky = job().content(MailContent.plain(plain), MailContent.html("<p>" + usual + "--</p>")).build();

        ComposedMessage message = composer.compose(tricky);

        assertThat(boundaryOf(message)).isNotEqualTo(usual);
        MimeMultipart multipart = (MimeMultipart) parse(message).getContent();
        assertThat(multipart.getCount()).isEqualTo(2);
        assertThat(multipart.getBodyPart(0).getContent()).isEqualTo(plain);
    }

    @Test
    void everyLineEndsWithCrlfWhateverLineBreaksTheContentHad() {
        ComposedMessage message = composer.compose(job().content(MailContent.plain("unix\nmac\rwindows\r\nend")).build());

        // lines() fails on any CR or LF that is not part of a CRLF.
        assertThat(lines(message)).containsSubsequence("unix", "mac", "windows", "end");
    }

    @Test
    void noLineIsLongerThan998OctetsHoweverLongTheInput() throws Exception {
        String longWord = "x".repeat(5000);
        SendJob job = job()
                .from(new EmailAddress("sender@shop.example", "N".repeat(2000)))
                .subject("S".repeat(3000))
                .header("X-Long", "v".repeat(3000))
                .content(MailContent.plain(longWord), MailContent.html("<p>" + longWord + "</p>"))
                .build();

        ComposedMessage message = composer.compose(job);

        assertThat(lines(message)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        MimeMessage parsed = parse(message);
        assertThat(parsed.getSubject()).isEqualTo("S".repeat(3000));
        MimeMultipart multipart = (MimeMultipart) parsed.getContent();
        assertThat(multipart.getBodyPart(0).getContent()).isEqualTo(longWord);
        assertThat(multipart.getBodyPart(1).getContent()).isEqualTo("<p>" + longWord + "</p>");
    }

    @Test
    void quotedPrintableLinesAreAtMost76Characters() {
        ComposedMessage message = composer.compose(job().content(MailContent.plain("ü".repeat(500))).build());

        List<String> body = lines(message).subList(lines(message).indexOf("") + 1, lines(message).size());
        assertThat(body).isNotEmpty().allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
    }

    @Test
    void theMessageIsSevenBitSoTheServerNeedsNo8BitMime() {
        ComposedMessage message = composer.compose(job()
                .from(new EmailAddress("sender@shop.example", "Ünïcödé"))
                .subject("Ünïcödé")
                .header("X-Note", "ünïcödé")
                .content(MailContent.plain("Ünïcödé"), MailContent.html("<p>Ünïcödé</p>"))
                .build());

        assertThat(MessageData.hasEightBitBytes(message.bytes())).isFalse();
    }

    @Test
    void theSameJobAlwaysComposesToTheSameBytes() {
        SendJob job = job().content(MailContent.plain("plain ü"), MailContent.html("<p>html</p>")).build();

        assertThat(new MessageComposer("mta1.letterlock.example").compose(job).bytes())
                .isEqualTo(composer.compose(job).bytes());
    }

    @Test
    void refusesContentItCannotSendAsTheSenderMeant() {
        SendJob calendar = job().content(MailContent.plain("a"), new MailContent("text/calendar", "BEGIN:VCALENDAR")).build();
        SendJob twoPlain = job().content(MailContent.plain("a"), MailContent.plain("b")).build();

        assertThatThrownBy(() -> composer.compose(calendar)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> composer.compose(twoPlain)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String boundaryOf(ComposedMessage message) {
        Matcher matcher = BOUNDARY.matcher(text(message));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
