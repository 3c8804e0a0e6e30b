package io.letterlock.delivery.message;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;
import io.letterlock.mail.smtp.MessageData;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static io.letterlock.delivery.message.ParsedMessage.lines;
import static io.letterlock.delivery.message.ParsedMessage.parse;
import static io.letterlock.delivery.message.ParsedMessage.text;
import static io.letterlock.delivery.message.TestJob.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageComposerAttachmentsTest {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");
    /** RFC 8460 §5.1: sender!policy-domain!begin!end, then the file type. */
    private static final String REPORT_NAME = "mail.sender.example!example.com!1470013207!1470186007.json.gz";
    private static final String REPORT_JSON = "{\"organization-name\":\"Sender\",\"date-range\":{\"start-datetime\":"
            + "\"2016-08-01T00:00:00Z\",\"end-datetime\":\"2016-08-01T23:59:59Z\"},\"policies\":[]}";

    private final MessageComposer composer = new MessageComposer("mta1.letterlock.example");

    @Test
    void textAndAnAttachmentBecomeMultipartMixedWithTheTextFirst() throws Exception {
        byte[] pdf = bytes(3000, 1);
        SendJob job = job().attachments(MailAttachment.of(pdf, "application/pdf", "invoice.pdf")).build();

        MimeMessage parsed = parse(composer.compose(job));

        assertThat(new ContentType(parsed.getContentType()).getBaseType()).isEqualTo("multipart/mixed");
        MimeMultipart mixed = (MimeMultipart) parsed.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(0).getContentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(mixed.getBodyPart(0).getContent()).isEqualTo("Hello Alice,\r\nyour order has shipped.\r\n");
        BodyPart file = mixed.getBodyPart(1);
        assertThat(file.isMimeType("application/pdf")).isTrue();
        assertThat(file.getDisposition()).isEqualTo("attachment");
        assertThat(file.getFileName()).isEqualTo("invoice.pdf");
        assertThat(((MimeBodyPart) file).getEncoding()).isEqualTo("base64");
        assertThat(file.getInputStream().readAllBytes()).isEqualTo(pdf);
    }

    @Test
    void aTlsReportIsMultipartReportWithTheHumanReadableTextFirstAndTheGzippedReportAfter() throws Exception {
        byte[] report = gzip(REPORT_JSON);
        SendJob job = job()
                .content(MailContent.plain("This is an aggregate TLS report from mail.sender.example"))
                .attachments(MailAttachment.of(report, "application/tlsrpt+gzip", REPORT_NAME))
                .reportType(SendJob.TLSRPT_REPORT_TYPE)
                .build();

        ComposedMessage message = composer.compose(job);

        MimeMessage parsed = parse(message);
        ContentType type = new ContentType(parsed.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("tlsrpt");
        MimeMultipart multipart = (MimeMultipart) parsed.getContent();
        assertThat(multipart.getCount()).isEqualTo(2);
        BodyPart human = multipart.getBodyPart(0);
        assertThat(human.isMimeType("text/plain")).isTrue();
        assertThat(human.getContent()).isEqualTo("This is an aggregate TLS report from mail.sender.example");
        BodyPart machine = multipart.getBodyPart(1);
        assertThat(new ContentType(machine.getContentType()).getBaseType()).isEqualTo("application/tlsrpt+gzip");
        assertThat(machine.getFileName()).isEqualTo(REPORT_NAME);
        assertThat(machine.getDisposition()).isEqualTo("attachment");
        assertThat(machine.getInputStream().readAllBytes()).isEqualTo(report);
        assertThat(text(message)).contains("filename=\"" + REPORT_NAME + "\"");
    }

    @Test
    void plainAndHtmlStayAnAlternativeNestedAsTheFirstPart() throws Exception {
        SendJob job = job().content(MailContent.plain("plain ü"), MailContent.html("<p>html ü</p>"))
                .attachments(MailAttachment.of(bytes(10, 2), null, "a.bin"))
                .build();

        ComposedMessage message = composer.compose(job);

        MimeMultipart mixed = (MimeMultipart) parse(message).getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(0).isMimeType("multipart/alternative")).isTrue();
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getCount()).isEqualTo(2);
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("plain ü");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>html ü</p>");
        List<String> boundaries = boundariesOf(message);
        assertThat(boundaries).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void attachmentsFollowTheTextInTheJobsOrder() throws Exception {
        SendJob job = job().attachments(
                MailAttachment.of(bytes(5, 3), "image/png", "first.png"),
                MailAttachment.of(bytes(5, 4), "text/csv", "second.csv"),
                MailAttachment.of(bytes(0, 5), null, "empty.bin")).build();

        MimeMultipart mixed = (MimeMultipart) parse(composer.compose(job)).getContent();

        assertThat(mixed.getCount()).isEqualTo(4);
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("first.png");
        assertThat(mixed.getBodyPart(2).getFileName()).isEqualTo("second.csv");
        assertThat(mixed.getBodyPart(2).getInputStream().readAllBytes()).isEqualTo(bytes(5, 4));
        assertThat(mixed.getBodyPart(3).getFileName()).isEqualTo("empty.bin");
        assertThat(mixed.getBodyPart(3).getInputStream().readAllBytes()).isEmpty();
    }

    @Test
    void aFileOfUnknownTypeIsSentAsOctetStreamWithItsNameInBothHeaders() throws Exception {
        ComposedMessage message = composer.compose(job()
                .attachments(MailAttachment.of(bytes(10, 6), null, "data.bin")).build());

        BodyPart file = ((MimeMultipart) parse(message).getContent()).getBodyPart(1);
        ContentType type = new ContentType(file.getContentType());
        assertThat(type.getBaseType()).isEqualTo("application/octet-stream");
        // Readers that look only at the Content-Type (RFC 2046 §4.5.1 name) find it there too.
        assertThat(type.getParameter("name")).isEqualTo("data.bin");
    }

    @Test
    void aNonAsciiFileNameIsRfc2231EncodedAndDecodesBack() throws Exception {
        String name = "Grüße 日本.pdf";

        ComposedMessage message = composer.compose(job()
                .attachments(MailAttachment.of(bytes(10, 7), "application/pdf", name)).build());

        assertThat(text(message)).contains(" filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E6%97%A5%E6%9C%AC.pdf");
        BodyPart file = ((MimeMultipart) parse(message).getContent()).getBodyPart(1);
        assertThat(file.getFileName()).isEqualTo(name);
        assertThat(new ContentType(file.getContentType()).getParameter("name")).isEqualTo(name);
        assertThat(MessageData.hasEightBitBytes(message.bytes())).isFalse();
    }

    @Test
    void aFileNameTooLongForOneLineIsSplitIntoRfc2231ContinuationsAndDecodesBack() throws Exception {
        String name = "Überweisung-" + "sehr-lange-Bezeichnung-".repeat(12) + "ü日本.pdf";

        ComposedMessage message = composer.compose(job()
                .attachments(MailAttachment.of(bytes(10, 8), "application/pdf", name)).build());

        assertThat(text(message)).contains(" filename*0*=UTF-8''", " filename*1*=");
        assertThat(lines(message)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(((MimeMultipart) parse(message).getContent()).getBodyPart(1).getFileName()).isEqualTo(name);
    }

    @Test
    void quotesAndBackslashesInAFileNameAreEscaped() throws Exception {
        String name = "say \"hi\" \\ bye; now.txt";

        ComposedMessage message = composer.compose(job()
                .attachments(MailAttachment.of(bytes(10, 9), "text/plain", name)).build());

        assertThat(text(message)).contains("filename=\"say \\\"hi\\\" \\\\ bye; now.txt\"");
        assertThat(((MimeMultipart) parse(message).getContent()).getBodyPart(1).getFileName()).isEqualTo(name);
    }

    @Test
    void aFileNameCannotAddAHeader() throws Exception {
        String name = "a.txt\"\r\nBcc: victim@example.com\r\nX: \"";

        ComposedMessage message = composer.compose(job()
                .attachments(MailAttachment.of(bytes(10, 10), "text/plain", name)).build());

        // lines() fails on a bare CR or LF; no line may start a header of the name's making.
        assertThat(lines(message)).noneMatch(line -> line.startsWith("Bcc:"));
        assertThat(((MimeMultipart) parse(message).getContent()).getBodyPart(1).getFileName()).isEqualTo(name);
    }

    @Test
    void inlineImagesTravelWithTheHtmlInAMultipartRelatedAndFilesFollowInTheMixed() throws Exception {
        byte[] logoBytes = bytes(10, 11);
        byte[] pdf = bytes(500, 14);
        SendJob job = job().content(MailContent.plain("logo"), MailContent.html("<img src=\"cid:logo@shop.example\">"))
                .attachments(MailAttachment.inline(logoBytes, "image/png", "logo.png", "logo@shop.example"),
                        MailAttachment.of(pdf, "application/pdf", "invoice.pdf"),
                        MailAttachment.inline(bytes(10, 12), "image/png", "badge.png", "<badge@shop.example>"))
                .build();

        MimeMultipart mixed = (MimeMultipart) parse(composer.compose(job)).getContent();

        assertThat(new ContentType(mixed.getContentType()).getBaseType()).isEqualTo("multipart/mixed");
        assertThat(mixed.getCount()).as("the related part, then the one file").isEqualTo(2);
        ContentType relatedType = new ContentType(mixed.getBodyPart(0).getContentType());
        assertThat(relatedType.getBaseType()).isEqualTo("multipart/related");
        assertThat(relatedType.getParameter("type")).as("RFC 2387: the root's type").isEqualTo("multipart/alternative");
        MimeMultipart related = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(related.getCount()).isEqualTo(3);
        assertThat(related.getBodyPart(0).isMimeType("multipart/alternative")).as("the root first").isTrue();
        MimeBodyPart logo = (MimeBodyPart) related.getBodyPart(1);
        assertThat(logo.getDisposition()).isEqualTo("inline");
        assertThat(logo.getContentID()).isEqualTo("<logo@shop.example>");
        assertThat(logo.getFileName()).isEqualTo("logo.png");
        assertThat(logo.getInputStream().readAllBytes()).isEqualTo(logoBytes);
        // Brackets written by the sender are not doubled.
        assertThat(((MimeBodyPart) related.getBodyPart(2)).getContentID()).isEqualTo("<badge@shop.example>");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("invoice.pdf");
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(pdf);
    }

    @Test
    void onlyInlineImagesMakeTheWholeBodyAMultipartRelatedAroundTheHtml() throws Exception {
        SendJob job = job().content(MailContent.html("<img src=\"cid:logo\">"))
                .attachments(MailAttachment.inline(bytes(10, 11), "image/png", "logo.png", "logo")).build();

        MimeMessage parsed = parse(composer.compose(job));

        ContentType type = new ContentType(parsed.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/related");
        assertThat(type.getParameter("type")).isEqualTo("text/html");
        MimeMultipart related = (MimeMultipart) parsed.getContent();
        assertThat(related.getBodyPart(0).isMimeType("text/html")).isTrue();
        assertThat(((MimeBodyPart) related.getBodyPart(1)).getContentID()).isEqualTo("<logo>");
    }

    @Test
    void anAttachmentWithoutAContentIdHasNone() throws Exception {
        ComposedMessage message = composer.compose(job()
                .attachments(MailAttachment.of(bytes(10, 13), null, "a.bin")).build());

        assertThat(((MimeBodyPart) ((MimeMultipart) parse(message).getContent()).getBodyPart(1)).getContentID())
                .isNull();
    }

    @Test
    void base64LinesAreAtMost76Characters() {
        ComposedMessage message = composer.compose(job()
                .attachments(MailAttachment.of(bytes(10_000, 14), null, "big.bin")).build());

        List<String> base64 = base64Lines(message);
        assertThat(base64).hasSizeGreaterThan(100)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(base64.get(0)).hasSize(76);
        assertThat(lines(message)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
    }

    @Test
    void theSameJobWithAttachmentsAlwaysComposesToTheSameBytes() {
        SendJob job = job().content(MailContent.plain("plain ü"), MailContent.html("<p>html</p>"))
                .attachments(MailAttachment.of(gzip(REPORT_JSON), "application/tlsrpt+gzip", REPORT_NAME))
                .reportType(SendJob.TLSRPT_REPORT_TYPE)
                .build();

        assertThat(new MessageComposer("mta1.letterlock.example").compose(job).bytes())
                .isEqualTo(composer.compose(job).bytes());
    }

    @Test
    void theBoundaryIsNeverOneThatOccursInAnAttachmentsHeaders() throws Exception {
        SendJob probe = job().attachments(MailAttachment.of(bytes(10, 15), null, "a.bin")).build();
        String usual = boundariesOf(composer.compose(probe)).get(0);
        SendJob tricky = job().attachments(MailAttachment.of(bytes(10, 15), null, "--" + usual + "--")).build();

        ComposedMessage message = composer.compose(tricky);

        assertThat(boundariesOf(message).get(0)).isNotEqualTo(usual);
        MimeMultipart mixed = (MimeMultipart) parse(message).getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("--" + usual + "--");
    }

    @Test
    void theMessageWithAttachmentsIsSevenBit() {
        ComposedMessage message = composer.compose(job()
                .content(MailContent.plain("Ünïcödé"), MailContent.html("<p>Ünïcödé</p>"))
                .attachments(MailAttachment.of(bytes(1000, 16), "application/octet-stream", "Ünïcödé.bin"))
                .build());

        assertThat(MessageData.hasEightBitBytes(message.bytes())).isFalse();
    }

    @Test
    void refusesAReportWithoutAMachineReadablePart() {
        SendJob report = job().reportType(SendJob.TLSRPT_REPORT_TYPE).build();

        assertThatThrownBy(() -> composer.compose(report)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RFC 6522");
    }

    @Test
    void refusesAnAttachmentTypeItCannotSendFaithfully() {
        for (String type : List.of("pdf", "application/pdf; charset=x", "application/pdf\r\nBcc: x", "message/rfc822",
                "multipart/mixed", "Multipart/Alternative")) {
            SendJob job = job().attachments(MailAttachment.of(bytes(10, 17), type, "a.bin")).build();

            assertThatThrownBy(() -> composer.compose(job)).as(type).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesAContentIdThatCannotBeOne() {
        for (String id : List.of("a b", "<a>b>", "<>", "ü@shop.example", "a\r\nBcc: x")) {
            SendJob job = job().attachments(MailAttachment.inline(bytes(10, 18), "image/png", "a.png", id)).build();

            assertThatThrownBy(() -> composer.compose(job)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aJobWithoutAttachmentsIsStillASinglePart() throws Exception {
        MimeMessage parsed = parse(composer.compose(job().build()));

        assertThat(parsed.getContentType()).isEqualTo("text/plain; charset=UTF-8");
    }

    /** The lines of every base64 body: from the blank line after its header to the next delimiter. */
    private static List<String> base64Lines(ComposedMessage message) {
        List<String> all = lines(message);
        List<String> base64 = new ArrayList<>();
        boolean inHeader = false;
        boolean inBody = false;
        for (String line : all) {
            if (line.equals("Content-Transfer-Encoding: base64")) {
                inHeader = true;
            } else if (inHeader && line.isEmpty()) {
                inHeader = false;
                inBody = true;
            } else if (inBody && line.startsWith("--")) {
                inBody = false;
            } else if (inBody) {
                base64.add(line);
            }
        }
        return base64;
    }

    private static List<String> boundariesOf(ComposedMessage message) {
        Matcher matcher = BOUNDARY.matcher(text(message));
        List<String> boundaries = new ArrayList<>();
        while (matcher.find()) {
            boundaries.add(matcher.group(1));
        }
        assertThat(boundaries).isNotEmpty();
        return boundaries;
    }

    /** Not random from run to run, so a failure reproduces. */
    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
