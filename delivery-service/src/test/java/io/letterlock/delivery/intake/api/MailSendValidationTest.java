package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static io.letterlock.delivery.intake.api.MailSendBodies.minimal;
import static io.letterlock.delivery.intake.api.MailSendBodies.personalization;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@IntakeTest
class MailSendValidationTest {

    private static final String PATH = MailSendBodies.PATH;
    private static final TestAccount ACCOUNT = TestAccounts.account(23);

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobsTopic;

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    private static Response send(String body) {
        return MailSendBodies.post(ACCOUNT, body);
    }

    /** Nothing for this recipient on either topic. */
    private void assertNothingPublishedFor(String recipient) {
        assertThat(PublishedRecords.jobs(sendJobsTopic, job -> job.to().email().equals(recipient))).isEmpty();
        assertThat(PublishedRecords.events(eventsTopic, event -> event.email().equals(recipient))).isEmpty();
    }

    private static Arguments refused(String why, BiConsumer<ObjectNode, String> change, String field) {
        return Arguments.of(why, change, field);
    }

    static Stream<Arguments> invalidRequests() {
        long tooLate = Instant.now().plus(Duration.ofHours(73)).getEpochSecond();
        return Stream.of(
                refused("no personalizations", (b, r) -> b.remove("personalizations"), "personalizations"),
                refused("empty personalizations", (b, r) -> b.putArray("personalizations"), "personalizations"),
                refused("personalization without to", (b, r) -> {
                    personalization(b, 0).remove("to");
                    personalization(b, 0).putArray("cc").addObject().put("email", r);
                }, "personalizations.0.to"),
                refused("empty to", (b, r) -> {
                    personalization(b, 0).putArray("to");
                    personalization(b, 0).putArray("bcc").addObject().put("email", r);
                }, "personalizations.0.to"),
                refused("to is not an array", (b, r) -> personalization(b, 0).put("to", r), "personalizations.0.to"),
                refused("address without @", (b, r) -> to(b).addObject().put("email", "not-an-address"),
                        "personalizations.0.to.1.email"),
                refused("address with a single-label domain", (b, r) -> to(b).addObject().put("email", "root@localhost"),
                        "personalizations.0.to.1.email"),
                refused("address literal", (b, r) -> to(b).addObject().put("email", "ops@[192.0.2.1]"),
                        "personalizations.0.to.1.email"),
                refused("non-ASCII local part", (b, r) -> to(b).addObject().put("email", "jürgen@example.com"),
                        "personalizations.0.to.1.email"),
                refused("two dots in the local part", (b, r) -> to(b).addObject().put("email", "a..b@example.com"),
                        "personalizations.0.to.1.email"),
                refused("local part over 64 characters", (b, r) -> to(b).addObject().put("email", "a".repeat(65) + "@example.com"),
                        "personalizations.0.to.1.email"),
                refused("email object without email", (b, r) -> to(b).addObject().put("name", "Nobody"),
                        "personalizations.0.to.1.email"),
                refused("invalid cc", (b, r) -> personalization(b, 0).putArray("cc").addObject().put("email", "x@"),
                        "personalizations.0.cc.0.email"),
                refused("invalid bcc", (b, r) -> personalization(b, 0).putArray("bcc").addObject().put("email", "@x.example"),
                        "personalizations.0.bcc.0.email"),
                refused("display name with a line break", (b, r) -> ((ObjectNode) to(b).get(0)).put("name", "A\r\nBcc: x@evil.example"),
                        "personalizations.0.to.0.name"),
                refused("same address in to and cc", (b, r) -> personalization(b, 0).putArray("cc").addObject()
                        .put("email", r.toUpperCase()), "personalizations.0"),
                refused("more than 1000 recipients", (b, r) -> {
                    ArrayNode bcc = personalization(b, 0).putArray("bcc");
                    for (int i = 0; i < 1000; i++) {
                        bcc.addObject().put("email", "bulk" + i + "@example.com");
                    }
                }, "personalizations"),
                refused("no from", (b, r) -> b.remove("from"), "from"),
                refused("invalid from", (b, r) -> b.putObject("from").put("email", "shop"), "from.email"),
                refused("from is a string", (b, r) -> b.put("from", "shop@sender.example"), "from"),
                refused("invalid reply_to", (b, r) -> b.putObject("reply_to").put("email", "help"), "reply_to.email"),
                refused("no subject anywhere", (b, r) -> b.remove("subject"), "subject"),
                refused("empty subject", (b, r) -> b.put("subject", ""), "subject"),
                refused("subject with a line break", (b, r) -> b.put("subject", "Hi\r\nBcc: x@evil.example"), "subject"),
                refused("no content", (b, r) -> b.remove("content"), "content"),
                refused("empty content", (b, r) -> b.putArray("content"), "content"),
                refused("content type not supported", (b, r) -> ((ObjectNode) b.withArray("content").get(0))
                        .put("type", "text/calendar"), "content.0.type"),
                refused("empty content value", (b, r) -> ((ObjectNode) b.withArray("content").get(0)).put("value", ""),
                        "content.0.value"),
                refused("text/html before text/plain", (b, r) -> b.withArray("content").insertObject(0)
                        .put("type", "text/html").put("value", "<p>Hi</p>"), "content"),
                refused("a content type twice", (b, r) -> b.withArray("content").addObject()
                        .put("type", "text/plain").put("value", "again"), "content"),
                refused("header From", (b, r) -> b.putObject("headers").put("From", "ceo@bank.example"), "headers.From"),
                refused("header To", (b, r) -> b.putObject("headers").put("to", "x@example.com"), "headers.to"),
                refused("header Bcc", (b, r) -> b.putObject("headers").put("Bcc", "x@example.com"), "headers.Bcc"),
                refused("header Subject", (b, r) -> b.putObject("headers").put("Subject", "x"), "headers.Subject"),
                refused("header Date", (b, r) -> b.putObject("headers").put("Date", "x"), "headers.Date"),
                refused("header Message-ID", (b, r) -> b.putObject("headers").put("Message-ID", "<x@y>"), "headers.Message-ID"),
                refused("header Content-Type", (b, r) -> b.putObject("headers").put("Content-Type", "text/html"),
                        "headers.Content-Type"),
                refused("header MIME-Version", (b, r) -> b.putObject("headers").put("MIME-Version", "1.0"), "headers.MIME-Version"),
                refused("header Received", (b, r) -> b.putObject("headers").put("Received", "from x"), "headers.Received"),
                refused("header DKIM-Signature", (b, r) -> b.putObject("headers").put("DKIM-Signature", "v=1"),
                        "headers.DKIM-Signature"),
                refused("header Return-Path", (b, r) -> b.putObject("headers").put("Return-Path", "<x@y.example>"),
                        "headers.Return-Path"),
                refused("personalization header Cc", (b, r) -> personalization(b, 0).putObject("headers").put("Cc", "x@y.example"),
                        "personalizations.0.headers.Cc"),
                refused("header name with a space", (b, r) -> b.putObject("headers").put("X Campaign", "x"), "headers.X Campaign"),
                refused("header name with a colon", (b, r) -> b.putObject("headers").put("X-A:", "x"), "headers.X-A:"),
                refused("header value with a line break", (b, r) -> b.putObject("headers").put("X-A", "x\r\nBcc: y@evil.example"),
                        "headers.X-A"),
                refused("header value not a string", (b, r) -> b.putObject("headers").put("X-A", 1), "headers.X-A"),
                refused("custom arg not a string", (b, r) -> b.putObject("custom_args").put("order", 42), "custom_args.order"),
                refused("custom arg named like an event field", (b, r) -> b.putObject("custom_args").put("event", "delivered"),
                        "custom_args.event"),
                refused("11 categories", (b, r) -> {
                    ArrayNode categories = b.putArray("categories");
                    for (int i = 0; i < 11; i++) {
                        categories.add("c" + i);
                    }
                }, "categories"),
                refused("category over 255 characters", (b, r) -> b.putArray("categories").add("c".repeat(256)), "categories.0"),
                refused("category not a string", (b, r) -> b.putArray("categories").add(7), "categories.0"),
                refused("send_at as a string", (b, r) -> b.put("send_at", "1700000000"), "send_at"),
                refused("send_at with a fraction", (b, r) -> b.put("send_at", 1700000000.5), "send_at"),
                refused("send_at more than 72 hours ahead", (b, r) -> b.put("send_at", tooLate), "send_at"),
                refused("personalization send_at more than 72 hours ahead", (b, r) -> personalization(b, 0).put("send_at", tooLate),
                        "personalizations.0.send_at"),
                refused("attachment without filename", (b, r) -> b.putArray("attachments").addObject().put("content", "aGk="),
                        "attachments.0.filename"),
                refused("attachment without content", (b, r) -> b.putArray("attachments").addObject().put("filename", "a.txt"),
                        "attachments.0.content"),
                refused("attachment content not base64", (b, r) -> b.putArray("attachments").addObject()
                        .put("content", "not base64!").put("filename", "a.txt"), "attachments.0.content"),
                refused("attachment content in MIME lines", (b, r) -> b.putArray("attachments").addObject()
                        .put("content", "aGVs\nbG8=").put("filename", "a.txt"), "attachments.0.content"),
                refused("attachment disposition unknown", (b, r) -> b.putArray("attachments").addObject()
                        .put("content", "aGk=").put("filename", "a.txt").put("disposition", "form-data"),
                        "attachments.0.disposition"),
                refused("attachment of a composite type", (b, r) -> b.putArray("attachments").addObject()
                        .put("content", "aGk=").put("filename", "a.eml").put("type", "message/rfc822"), "attachments.0"),
                refused("attachment type with a parameter", (b, r) -> b.putArray("attachments").addObject()
                        .put("content", "aGk=").put("filename", "a.txt").put("type", "text/plain; charset=x\r\nBcc: y"),
                        "attachments.0"),
                refused("attachment content_id with a space", (b, r) -> b.putArray("attachments").addObject()
                        .put("content", "aGk=").put("filename", "a.png").put("disposition", "inline")
                        .put("content_id", "logo one"), "attachments.0"),
                refused("attachment field unknown", (b, r) -> b.putArray("attachments").addObject()
                        .put("content", "aGk=").put("filename", "a.txt").put("size", 2), "attachments.0.size"),
                refused("attachments not an array", (b, r) -> b.put("attachments", "a.txt"), "attachments"),
                refused("template_id", (b, r) -> b.put("template_id", "d-123"), "template_id"),
                refused("dynamic_template_data", (b, r) -> personalization(b, 0).putObject("dynamic_template_data")
                        .put("name", "x"), "personalizations.0.dynamic_template_data"),
                refused("substitutions", (b, r) -> personalization(b, 0).putObject("substitutions").put("-name-", "x"),
                        "personalizations.0.substitutions"),
                refused("asm not an object", (b, r) -> b.put("asm", 1), "asm"),
                refused("asm without group_id", (b, r) -> b.putObject("asm").putArray("groups_to_display").add(1),
                        "asm.group_id"),
                refused("asm group_id zero", (b, r) -> b.putObject("asm").put("group_id", 0), "asm.group_id"),
                refused("asm group_id a string", (b, r) -> b.putObject("asm").put("group_id", "1"), "asm.group_id"),
                refused("asm group_id a fraction", (b, r) -> b.putObject("asm").put("group_id", 1.5), "asm.group_id"),
                refused("asm group_id too large", (b, r) -> b.putObject("asm").put("group_id", 1L << 31), "asm.group_id"),
                refused("asm groups_to_display not numbers", (b, r) -> b.putObject("asm").put("group_id", 1)
                        .putArray("groups_to_display").add("news"), "asm.groups_to_display.0"),
                refused("asm groups_to_display too many", (b, r) -> {
                    var groups = b.putObject("asm").put("group_id", 1).putArray("groups_to_display");
                    for (int i = 1; i <= 26; i++) {
                        groups.add(i);
                    }
                }, "asm.groups_to_display"),
                refused("asm field unknown", (b, r) -> b.putObject("asm").put("group_id", 1).put("group", 2),
                        "asm.group"),
                refused("bypass enable not a boolean", (b, r) -> b.putObject("mail_settings")
                        .putObject("bypass_bounce_management").put("enable", 1), "mail_settings.bypass_bounce_management.enable"),
                refused("batch_id with a character no batch id has", (b, r) -> b.put("batch_id", "b/1"), "batch_id"),
                refused("batch_id not a string", (b, r) -> b.put("batch_id", 7), "batch_id"),
                refused("ip_pool_name", (b, r) -> b.put("ip_pool_name", "transactional"), "ip_pool_name"),
                refused("sandbox_mode enable not a boolean", (b, r) -> b.putObject("mail_settings").putObject("sandbox_mode")
                        .put("enable", "true"), "mail_settings.sandbox_mode.enable"),
                refused("footer enabled", (b, r) -> b.putObject("mail_settings").putObject("footer")
                        .put("enable", true).put("text", "bye"), "mail_settings.footer"),
                refused("subscription_tracking enabled", (b, r) -> b.putObject("tracking_settings")
                        .putObject("subscription_tracking").put("enable", true), "tracking_settings.subscription_tracking"),
                refused("enable not a boolean", (b, r) -> b.putObject("tracking_settings").putObject("open_tracking")
                        .put("enable", "yes"), "tracking_settings.open_tracking.enable"),
                refused("unknown mail setting", (b, r) -> b.putObject("mail_settings").putObject("bcc").put("enable", false),
                        "mail_settings.bcc"),
                refused("unknown top-level field", (b, r) -> b.put("subjct", "typo"), "subjct"),
                refused("unknown personalization field", (b, r) -> personalization(b, 0).put("too", "typo"),
                        "personalizations.0.too"),
                refused("unknown email object field", (b, r) -> ((ObjectNode) to(b).get(0)).put("mail", "typo"),
                        "personalizations.0.to.0.mail"),
                refused("unknown content field", (b, r) -> ((ObjectNode) b.withArray("content").get(0)).put("charset", "utf-8"),
                        "content.0.charset"));
    }

    private static ArrayNode to(ObjectNode body) {
        return personalization(body, 0).withArray("to");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestGets400NamingTheFieldAndPublishesNothing(String why, BiConsumer<ObjectNode, String> change,
                                                                String field) {
        String recipient = MailSendBodies.uniqueRecipient();
        ObjectNode body = minimal(recipient);
        change.accept(body, recipient);

        Response response = send(body.toString());

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getList("errors.field")).as(response.asString()).contains(field);
        assertThat(response.jsonPath().getList("errors.message", String.class)).allMatch(m -> !m.isBlank());
        assertNothingPublishedFor(recipient);
    }

    @Test
    void everyProblemOfARequestIsListed() {
        String recipient = MailSendBodies.uniqueRecipient();
        ObjectNode body = minimal(recipient);
        body.remove("from");
        body.put("subject", "");
        body.putArray("attachments").addObject().put("content", "aGk=");
        to(body).addObject().put("email", "nobody");

        Response response = send(body.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getList("errors.field")).containsExactlyInAnyOrder(
                "from", "subject", "attachments.0.filename", "personalizations.0.to.1.email");
        assertNothingPublishedFor(recipient);
    }

    @Test
    void malformedOrNonObjectBodiesGet400() {
        for (String body : List.of("{\"personalizations\": [", "[]", "\"mail\"", "", "null")) {
            Response response = send(body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.jsonPath().getList("errors")).as(body).hasSize(1);
        }
    }

    @Test
    void aDuplicatedFieldIsRefusedRatherThanGuessed() {
        String recipient = MailSendBodies.uniqueRecipient();
        String body = minimal(recipient).toString().replaceFirst("\\{", "{\"subject\":\"first\",");

        assertThat(send(body).statusCode()).isEqualTo(400);
        assertNothingPublishedFor(recipient);
    }

    @Test
    void clickAndOpenTrackingAreAcceptedAndIgnored() {
        ObjectNode body = minimal(MailSendBodies.uniqueRecipient());
        ObjectNode tracking = body.putObject("tracking_settings");
        tracking.putObject("click_tracking").put("enable", true).put("enable_text", true);
        tracking.putObject("open_tracking").put("enable", true);
        tracking.putObject("subscription_tracking").put("enable", false);

        assertThat(send(body.toString()).statusCode()).isEqualTo(202);
    }

    @Test
    void sandboxModeValidatesAndAnswers200WithoutSendingAnything() {
        String recipient = MailSendBodies.uniqueRecipient();
        ObjectNode body = minimal(recipient);
        body.putObject("mail_settings").putObject("sandbox_mode").put("enable", true);
        body.putArray("attachments").addObject().put("content", "aGk=").put("filename", "hi.txt");

        Response response = send(body.toString());

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.header("X-Message-Id")).as("no message: none was made").isNull();
        assertNothingPublishedFor(recipient);
    }

    @Test
    void sandboxModeRefusesAnInvalidRequestAsALiveSendWould() {
        String recipient = MailSendBodies.uniqueRecipient();
        ObjectNode body = minimal(recipient);
        body.putObject("mail_settings").putObject("sandbox_mode").put("enable", true);
        body.remove("subject");

        Response response = send(body.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getList("errors.field")).containsExactly("subject");
        assertNothingPublishedFor(recipient);
    }

    @Test
    void disabledSettingsBypassesAndEmptyUnsupportedFieldsAreAccepted() {
        ObjectNode body = minimal(MailSendBodies.uniqueRecipient());
        ObjectNode mailSettings = body.putObject("mail_settings");
        mailSettings.putObject("sandbox_mode").put("enable", false);
        mailSettings.putObject("bypass_list_management").put("enable", true);
        body.putArray("attachments");
        body.putNull("template_id");
        body.putNull("reply_to");
        personalization(body, 0).putObject("dynamic_template_data");

        Response response = send(body.toString());

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
    }

    @Test
    void requestsWithoutAValidApiKeyGet401AndPublishNothing() {
        String recipient = MailSendBodies.uniqueRecipient();
        String body = minimal(recipient).toString();

        given().body(body).post(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-key").body(body).post(PATH).then().statusCode(401);

        assertNothingPublishedFor(recipient);
    }

    @Test
    void actingForAnotherParentsSubuserGets403AndPublishesNothing() {
        String recipient = MailSendBodies.uniqueRecipient();

        given().header("Authorization", TestAccounts.PARENT.bearer())
                .header("on-behalf-of", TestAccounts.OTHER_SUBUSER.id())
                .body(minimal(recipient).toString()).post(PATH).then().statusCode(403);

        assertNothingPublishedFor(recipient);
    }

    @Test
    void bodyOverTheSizeLimitGets413AndPublishesNothing() {
        String recipient = MailSendBodies.uniqueRecipient();
        ObjectNode body = minimal(recipient);
        body.put("padding-is-never-read", "x".repeat(IntakeTestSettings.MAX_BODY_BYTES));

        Response response = send(body.toString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.jsonPath().getString("errors[0].message")).contains("larger than the limit");
        assertNothingPublishedFor(recipient);
    }

    @Test
    void messageTooLargeForAKafkaRecordGets413AndPublishesNothing() {
        String recipient = MailSendBodies.uniqueRecipient();
        ObjectNode body = minimal(recipient);
        ((ObjectNode) body.withArray("content").get(0)).put("value", "x".repeat(IntakeTestSettings.MAX_RECORD_BYTES));

        Response response = send(body.toString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.jsonPath().getString("errors[0].field")).isEqualTo("content");
        assertNothingPublishedFor(recipient);
    }
}
