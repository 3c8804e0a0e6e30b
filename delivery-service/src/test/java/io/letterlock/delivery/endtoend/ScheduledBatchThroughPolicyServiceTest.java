package io.letterlock.delivery.endtoend;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import io.restassured.RestAssured;
import java.net.URI;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailBatch;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.batches.BatchViews;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole SendGrid flow across both services: a batch id from the real policy-service (the
 * packaged jar, as its own process, on the same Kafka topics), a scheduled send in it through
 * {@code /v3/mail/send}, a pause through {@code POST /v3/user/scheduled_sends} that keeps the
 * message past its send_at, and {@code DELETE /v3/user/scheduled_sends/{batch_id}} that resumes it.
 */
@DeliveryTest
class ScheduledBatchThroughPolicyServiceTest {

    private static final String DOMAIN = "valid.test";

    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @ConfigProperty(name = "letterlock.topics.send-jobs-retry")
    String retryTopic;
    /** Optional, as in PolicyChangeTest: some test applications of the module run without a keys file. */
    @Inject
    BatchViews batches;

    private ServiceProcess policyService;

    @AfterEach
    void stopPolicyService() {
        if (policyService != null) {
            policyService.stop();
        }
    }

    @Test
    void aBatchPausedOnPolicyServiceIsKeptPastItsSendAtAndDeliveredOnceThePauseIsDeleted() {
        TestAccount account = TestAccounts.account(86);
        String recipient = "resumed-" + account.id() + "@" + DOMAIN;
        policyService = PolicyServiceJar.start("policy-for-batch-test");

        String batchId = policy(account).post("/v3/mail/batch").then().statusCode(201).extract().path("batch_id");
        Instant sendAt = Instant.now().plusSeconds(4);
        String messageId = send(account, recipient, batchId, sendAt);
        policy(account).body("{\"batch_id\":\"" + batchId + "\",\"status\":\"pause\"}")
                .post("/v3/user/scheduled_sends").then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.find(account.id(), batchId)
                .map(batch -> batch.status() == MailBatch.Status.PAUSE).orElse(false));
        assertThat(Instant.now()).as("paused before send_at").isBefore(sendAt);

        await("the paused job held past its send_at").atMost(Duration.ofSeconds(30))
                .until(() -> heldTimes(messageId) >= 2);
        assertThat(MailWorld.server(DOMAIN).received()).noneMatch(m -> m.recipients().contains(recipient));

        policy(account).delete("/v3/user/scheduled_sends/" + batchId).then().statusCode(204);

        MailEvent delivered = await("delivered after the pause was deleted").atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.event() == EventType.DELIVERED).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(delivered.email()).isEqualTo(recipient);
        assertThat(MailWorld.server(DOMAIN).received()).filteredOn(m -> m.recipients().contains(recipient)).hasSize(1);
    }

    @Test
    void sendGridsOfficialClientCreatesABatchSchedulesMailInItAndCancelsIt() throws Exception {
        TestAccount account = TestAccounts.account(100);
        String recipient = "cancelled-" + account.id() + "@" + DOMAIN;
        policyService = PolicyServiceJar.start("policy-for-official-client");
        // sendgrid-java as a SendGrid user has it, pointed at each service (plain HTTP: test mode).
        SendGrid policy = new SendGrid(account.key(), true);
        policy.setHost(URI.create(policyService.baseUrl()).getAuthority());
        SendGrid mailSend = new SendGrid(account.key(), true);
        mailSend.setHost("localhost:" + RestAssured.port);

        com.sendgrid.Response created = policy.api(request(Method.POST, "mail/batch", null));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        String batchId = Json.mapper().readTree(created.getBody()).get("batch_id").textValue();
        Mail mail = new Mail(new Email("news@shop.example"), "Scheduled", new Email(recipient),
                new Content("text/plain", "Never sent: the batch is cancelled."));
        mail.setBatchId(batchId);
        mail.setSendAt(Instant.now().plusSeconds(4).getEpochSecond());
        com.sendgrid.Response accepted = mailSend.api(request(Method.POST, "mail/send", mail.build()));
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String messageId = accepted.getHeaders().get("X-Message-Id");
        com.sendgrid.Response cancelled = policy.api(request(Method.POST, "user/scheduled_sends",
                "{\"batch_id\":\"" + batchId + "\",\"status\":\"cancel\"}"));
        assertThat(cancelled.getStatusCode()).as(cancelled.getBody()).isEqualTo(201);
        com.sendgrid.Response listed = policy.api(request(Method.GET, "user/scheduled_sends/" + batchId, null));
        assertThat(Json.mapper().readTree(listed.getBody()).get(0).get("status").textValue()).isEqualTo("cancel");

        MailEvent dropped = await("dropped once due").atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.event() == EventType.DROPPED).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(dropped.email()).isEqualTo(recipient);
        assertThat(dropped.reason()).contains(batchId);
        assertThat(MailWorld.server(DOMAIN).received()).noneMatch(m -> m.recipients().contains(recipient));
    }

    private static Request request(Method method, String endpoint, String body) {
        Request request = new Request();
        request.setMethod(method);
        request.setEndpoint(endpoint);
        if (body != null) {
            request.setBody(body);
        }
        return request;
    }

    private RequestSpecification policy(TestAccount account) {
        return given().baseUri(policyService.baseUrl()).header("Authorization", account.bearer())
                .contentType("application/json");
    }

    private static String send(TestAccount account, String recipient, String batchId, Instant sendAt) {
        String body = """
                {"personalizations":[{"to":[{"email":"%s"}]}],"from":{"email":"news@shop.example"},
                 "subject":"Scheduled","send_at":%d,"batch_id":"%s",
                 "content":[{"type":"text/plain","value":"Sent once resumed."}]}"""
                .formatted(recipient, sendAt.getEpochSecond(), batchId);
        Response response = given().header("Authorization", account.bearer()).contentType("application/json")
                .body(body).post("/v3/mail/send");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        return response.header("X-Message-Id");
    }

    /** How often the worker wrote the job back to the retry topic after its send_at. */
    private long heldTimes(String messageId) {
        return TestKafka.readAll(retryTopic).stream()
                .map(record -> Json.fromBytes(record.value(), SendJob.class))
                .filter(job -> job.messageId().equals(messageId))
                .filter(job -> job.notBefore() != null && job.notBefore().isAfter(job.sendAt()))
                .count();
    }
}
