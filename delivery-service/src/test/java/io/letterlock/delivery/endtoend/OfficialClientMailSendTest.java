package io.letterlock.delivery.endtoend;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Attachments;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.MailSettings;
import com.sendgrid.helpers.mail.objects.Personalization;
import com.sendgrid.helpers.mail.objects.Setting;
import io.letterlock.contracts.EventType;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.restassured.RestAssured;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SendGrid's official Java client (sendgrid-java), unchanged but for the host it is pointed at,
 * sending what its own helpers build: files and inline images, a statement too large for any one
 * Kafka record to several recipients, and a sandbox request. What the SMTP servers received is
 * parsed back, so the client's request shapes are proven, not assumed.
 */
@DeliveryTest
class OfficialClientMailSendTest {

    private static final TestAccount ACCOUNT = TestAccounts.account(99);

    @ConfigProperty(name = "letterlock.topics.events")
    String events;

    private static SendGrid client() {
        // test mode: plain HTTP, as against a local service; everything else as a SendGrid user has it.
        SendGrid sendGrid = new SendGrid(ACCOUNT.key(), true);
        sendGrid.setHost("localhost:" + RestAssured.port);
        return sendGrid;
    }

    private static Response send(Mail mail) throws Exception {
        Request request = new Request();
        request.setMethod(Method.POST);
        request.setEndpoint("mail/send");
        request.setBody(mail.build());
        return client().api(request);
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Attachments file(byte[] bytes, String type, String name) {
        return new Attachments.Builder(name, new ByteArrayInputStream(bytes)).withType(type).build();
    }

    private static MimeMessage received(String recipient) throws Exception {
        ReceivedMessage received = MailWorld.server("valid.test").received().stream()
                .filter(m -> m.recipients().contains(recipient)).findFirst().orElseThrow();
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
    }

    private void awaitDelivered(String messageId, int recipients) {
        await("delivered events of " + messageId).atMost(Duration.ofSeconds(60))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.event() == EventType.DELIVERED).count() == recipients);
    }

    @Test
    void anInvoiceWithAnInlineLogoBuiltByTheClientsHelpersArrivesWhole() throws Exception {
        byte[] pdf = bytes(150_000, 21);
        byte[] logo = bytes(2_000, 22);
        String recipient = "official-1@valid.test";
        Mail mail = new Mail(new Email("billing@shop.example", "Shop"), "Your invoice", new Email(recipient),
                new Content("text/plain", "Your invoice is attached."));
        mail.addContent(new Content("text/html", "<img src=\"cid:logo\"><p>Your invoice is attached.</p>"));
        mail.addAttachments(file(pdf, "application/pdf", "invoice.pdf"));
        Attachments inline = file(logo, "image/png", "logo.png");
        inline.setDisposition("inline");
        inline.setContentId("logo");
        mail.addAttachments(inline);

        Response response = send(mail);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        awaitDelivered(response.getHeaders().get("X-Message-Id"), 1);
        MimeMultipart mixed = (MimeMultipart) received(recipient).getContent();
        MimeMultipart related = (MimeMultipart) mixed.getBodyPart(0).getContent();
        MimeBodyPart shown = (MimeBodyPart) related.getBodyPart(1);
        assertThat(shown.getContentID()).isEqualTo("<logo>");
        assertThat(shown.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(shown.getInputStream().readAllBytes()).isEqualTo(logo);
        MimeBodyPart invoice = (MimeBodyPart) mixed.getBodyPart(1);
        assertThat(invoice.getFileName()).isEqualTo("invoice.pdf");
        assertThat(invoice.getInputStream().readAllBytes()).isEqualTo(pdf);
    }

    @Test
    void aStatementLargerThanAnyKafkaRecordReachesEachPersonalization() throws Exception {
        byte[] statement = bytes(3 << 20, 23);
        List<String> recipients = List.of("official-2@valid.test", "official-3@valid.test", "official-4@valid.test");
        Mail mail = new Mail();
        mail.setFrom(new Email("statements@bank.example"));
        mail.setSubject("Your statement");
        mail.addContent(new Content("text/plain", "Your statement is attached."));
        for (String recipient : recipients) {
            Personalization personalization = new Personalization();
            personalization.addTo(new Email(recipient));
            mail.addPersonalization(personalization);
        }
        mail.addAttachments(file(statement, "application/pdf", "statement.pdf"));

        Response response = send(mail);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        awaitDelivered(response.getHeaders().get("X-Message-Id"), recipients.size());
        for (String recipient : recipients) {
            MimeBodyPart file = (MimeBodyPart) ((MimeMultipart) received(recipient).getContent()).getBodyPart(1);
            assertThat(file.getInputStream().readAllBytes()).as(recipient).isEqualTo(statement);
        }
    }

    @Test
    void sandboxModeIsAnsweredAsSendGridDoesAndNothingIsSent() throws Exception {
        String recipient = "official-sandbox@valid.test";
        Mail mail = new Mail(new Email("billing@shop.example"), "Sandboxed", new Email(recipient),
                new Content("text/plain", "Never sent."));
        mail.addAttachments(file(bytes(100_000, 24), "application/pdf", "invoice.pdf"));
        MailSettings settings = new MailSettings();
        Setting sandbox = new Setting();
        sandbox.setEnable(true);
        settings.setSandboxMode(sandbox);
        mail.setMailSettings(settings);

        Response response = send(mail);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders()).doesNotContainKey("X-Message-Id");
        assertThat(MailWorld.server("valid.test").received()).noneMatch(m -> m.recipients().contains(recipient));
    }
}
