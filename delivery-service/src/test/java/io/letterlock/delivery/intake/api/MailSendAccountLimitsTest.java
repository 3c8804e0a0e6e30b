package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.testkit.accounts.ApiKeysTestResource;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.letterlock.testkit.kafka.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each account's share of a replica, in an application of its own whose accounts may send one
 * recipient every five seconds with a burst of three, so that being over the rate takes four
 * recipients rather than thousands, and may have one request in progress at a time. Five seconds
 * rather than one: a request answered slowly (a cold transactional producer on a loaded machine
 * took over a second) must not earn back the token the test counts on being gone.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "delivery"))
@WithTestResource(ApiKeysTestResource.class)
@WithTestResource(MailSendAccountLimitsTest.SlowAccounts.class)
class MailSendAccountLimitsTest {

    static final int BURST = 3;
    /** Seconds until the next recipient is allowed: 1 / messages-per-second. */
    static final int REFILL_SECONDS = 5;

    /** One recipient every five seconds, three at once, one request at a time; transactional ids of its own; no delivery worker. */
    public static class SlowAccounts implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of(
                    "letterlock.intake.per-account.messages-per-second", String.valueOf(1.0 / REFILL_SECONDS),
                    "letterlock.intake.per-account.message-burst", String.valueOf(BURST),
                    "letterlock.intake.per-account.max-requests-in-progress", "1",
                    "letterlock.intake.transactional-id-prefix", TestKafka.uniqueTopic("intake-limits"),
                    "letterlock.delivery.enabled", "false",
                    "letterlock.retry.scheduler.enabled", "false");
        }

        @Override
        public void stop() {
        }
    }

    private static final String PATH = MailSendBodies.PATH;

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobsTopic;

    private static ObjectNode body(List<String> recipients) {
        ObjectNode body = MailSendBodies.minimal(recipients.get(0));
        ArrayNode to = (ArrayNode) MailSendBodies.personalization(body, 0).get("to");
        recipients.stream().skip(1).forEach(r -> to.addObject().put("email", r));
        return body;
    }

    private static Response send(TestAccount account, List<String> recipients) {
        return send(account, body(recipients).toString());
    }

    private static Response send(TestAccount account, String body) {
        return MailSendBodies.post(account, body);
    }

    private static List<String> recipients(int count) {
        return IntStream.range(0, count).mapToObj(i -> MailSendBodies.uniqueRecipient()).toList();
    }

    private List<String> publishedJobsTo(List<String> recipients) {
        return PublishedRecords.jobs(sendJobsTopic, job -> recipients.contains(job.to().email())).stream()
                .map(r -> r.value().to().email()).toList();
    }

    /** Waits out a Retry-After as a client would; the wait is the time itself, not another thread's work. */
    private static void waitOut(Response refused) {
        long until = System.nanoTime() + Duration.ofSeconds(Long.parseLong(refused.header("Retry-After"))).toNanos();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> System.nanoTime() >= until);
    }

    @Test
    void anAccountOverItsRateGets429WithRetryAfterWhileAnotherAccountIsAccepted() {
        TestAccount busy = TestAccounts.account(41);
        TestAccount other = TestAccounts.account(42);
        assertThat(send(busy, recipients(BURST)).statusCode()).isEqualTo(202);
        List<String> refusedRecipients = recipients(1);

        Response refused = send(busy, refusedRecipients);
        Response otherAtTheSameMoment = send(other, recipients(BURST));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo(String.valueOf(REFILL_SECONDS));
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.jsonPath().getString("errors[0].message")).startsWith("too many requests");
        assertThat(refused.jsonPath().getList("errors")).hasSize(1);
        assertThat(otherAtTheSameMoment.statusCode()).isEqualTo(202);
        assertThat(publishedJobsTo(refusedRecipients)).isEmpty();
    }

    @Test
    void aRequestWithMoreRecipientsThanAreLeftIsRefusedWholeThenAcceptedAfterRetryAfter() {
        TestAccount account = TestAccounts.account(43);
        assertThat(send(account, recipients(BURST - 1)).statusCode()).isEqualTo(202);
        List<String> twoRecipients = recipients(2);

        Response refused = send(account, twoRecipients);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(publishedJobsTo(twoRecipients)).as("not even the one recipient that was left room for").isEmpty();

        waitOut(refused);
        Response again = send(account, twoRecipients);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(publishedJobsTo(twoRecipients)).containsExactlyInAnyOrderElementsOf(twoRecipients);
    }

    @Test
    void aRequestWithMoreRecipientsThanTheBurstGets400RatherThanAWaitThatWouldNeverEnd() {
        TestAccount account = TestAccounts.account(44);
        List<String> tooMany = recipients(BURST + 1);

        Response response = send(account, tooMany);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("errors[0].field")).isEqualTo("personalizations");
        assertThat(response.jsonPath().getString("errors[0].message")).contains("at most " + BURST + " recipients");
        assertThat(publishedJobsTo(tooMany)).isEmpty();
    }

    @Test
    void anAccountWithARequestInProgressGets429ForTheNextUntilItIsAnswered() throws Exception {
        TestAccount account = TestAccounts.account(45);
        List<String> slowRecipient = recipients(1);
        ObjectNode slowBody = body(slowRecipient);
        // Larger than what the server buffers before it calls the resource, so the body streams.
        ((ObjectNode) slowBody.withArray("content").get(0)).put("value", "x".repeat(100_000));
        byte[] bytes = slowBody.toString().getBytes(StandardCharsets.UTF_8);

        try (Socket slow = new Socket("localhost", RestAssured.port)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + account.bearer()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // All but the last byte: the request is in progress, waiting for the rest of its body.
            out.write(bytes, 0, bytes.length - 1);
            out.flush();

            // An empty object gets 400 once admitted, taking nothing, until the slow one counts.
            Response refused = await().atMost(Duration.ofSeconds(10))
                    .until(() -> send(account, "{}"), r -> r.statusCode() == 429);

            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.jsonPath().getString("errors[0].message")).contains("already has 1 in progress");
            assertThat(send(TestAccounts.account(46), "{}").statusCode()).as("another account").isEqualTo(400);

            out.write(bytes, bytes.length - 1, 1);
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(statusLine).startsWith("HTTP/1.1 202");
        }
        assertThat(send(account, "{}").statusCode()).as("once the slow request was answered").isEqualTo(400);
        assertThat(publishedJobsTo(slowRecipient)).containsExactlyElementsOf(slowRecipient);
    }
}
