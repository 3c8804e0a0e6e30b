package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.mail.smtp.MessageData;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.restassured.response.Response;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SendGrid's {@code attachments} through the public API to an SMTP server: what the recipient's
 * server received is parsed back as MIME, and every file comes out as the sender put it in.
 */
@DeliveryTest
class MailSendAttachmentsTest {

    private static final TestAccount ACCOUNT = TestAccounts.account(24);

    @ConfigProperty(name = "letterlock.topics.events")
    String events;

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void anInvoiceWithAnInlineLogoArrivesAsTheSenderWroteIt() throws Exception {
        byte[] pdf = bytes(200_000, 1);
        byte[] logo = bytes(3_000, 2);
        String recipient = "attachments-1@valid.test";
        String body = """
                {"personalizations":[{"to":[{"email":"%s"}]}],
                 "from":{"email":"billing@shop.example"},"subject":"Your invoice",
                 "content":[{"type":"text/plain","value":"Your invoice is attached."},
                            {"type":"text/html","value":"<img src=\\"cid:logo\\"><p>Your invoice is attached.</p>"}],
                 "attachments":[{"content":"%s","type":"application/pdf","filename":"Rechnung März.pdf"},
                                {"content":"%s","type":"image/png","filename":"logo.png",
                                 "disposition":"inline","content_id":"logo"}]}"""
                .formatted(recipient, Base64.getEncoder().encodeToString(pdf), Base64.getEncoder().encodeToString(logo));

        Response response = given().header("Authorization", ACCOUNT.bearer()).contentType("application/json")
                .body(body).post("/v3/mail/send");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        String messageId = response.header("X-Message-Id");
        MailEvent delivered = await("delivered event of " + messageId).atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.event() == EventType.DELIVERED).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(delivered.email()).isEqualTo(recipient);
        ReceivedMessage received = MailWorld.server("valid.test").received().stream()
                .filter(m -> m.recipients().contains(recipient)).findFirst().orElseThrow();

        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
        assertThat(new ContentType(message.getContentType()).getBaseType()).isEqualTo("multipart/mixed");
        MimeMultipart mixed = (MimeMultipart) message.getContent();
        MimeMultipart related = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(related.getBodyPart(0).isMimeType("multipart/alternative")).isTrue();
        MimeBodyPart inline = (MimeBodyPart) related.getBodyPart(1);
        assertThat(inline.getContentID()).isEqualTo("<logo>");
        assertThat(inline.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(inline.getInputStream().readAllBytes()).isEqualTo(logo);
        MimeBodyPart invoice = (MimeBodyPart) mixed.getBodyPart(1);
        assertThat(invoice.isMimeType("application/pdf")).isTrue();
        assertThat(invoice.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(invoice.getFileName()).isEqualTo("Rechnung März.pdf");
        assertThat(invoice.getInputStream().readAllBytes()).isEqualTo(pdf);
        assertThat(MessageData.hasEightBitBytes(received.data())).as("8-bit bytes on the wire").isFalse();
    }

    @Test
    void aFileThatCannotBeSentIsRefusedWithItsPathAndNothingIsQueued() {
        String body = """
                {"personalizations":[{"to":[{"email":"attachments-2@valid.test"}]}],
                 "from":{"email":"billing@shop.example"},"subject":"Broken",
                 "content":[{"type":"text/plain","value":"x"}],
                 "attachments":[{"content":"aGk=","filename":"ok.txt"},{"content":"aGk","filename":"bad.txt"}]}""";

        Response response = given().header("Authorization", ACCOUNT.bearer()).contentType("application/json")
                .body(body).post("/v3/mail/send");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getList("errors.field", String.class)).containsExactly("attachments.1.content");
        assertThat(MailWorld.server("valid.test").received())
                .noneMatch(m -> m.recipients().contains("attachments-2@valid.test"));
        assertThat(List.of(response.jsonPath().getString("errors[0].message"))).allMatch(m -> m.contains("base64"));
    }
}
