package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.delivery.intake.service.MailSendRequest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.letterlock.delivery.intake.api.MailSendBodies.minimal;
import static org.assertj.core.api.Assertions.assertThat;

/** What one request may make of its recipients and content together, bounded before anything is built. */
@IntakeTest
class MailSendRequestSizeTest {

    private static final String PATH = MailSendBodies.PATH;
    private static final TestAccount ACCOUNT = TestAccounts.account(40);

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobsTopic;

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    private static Response send(String body) {
        return MailSendBodies.post(ACCOUNT, body);
    }

    /**
     * A personalization for each of {@code recipients} addresses containing {@code tag}, as bulk
     * senders write them, and content of {@code contentBytes} that every recipient's copy carries.
     */
    private static ObjectNode request(String tag, int recipients, int contentBytes) {
        ObjectNode body = minimal("r0-" + tag + "@example.com");
        ArrayNode personalizations = body.withArray("personalizations");
        for (int i = 1; i < recipients; i++) {
            personalizations.addObject().putArray("to").addObject().put("email", "r" + i + "-" + tag + "@example.com");
        }
        ((ObjectNode) body.withArray("content").get(0)).put("value", "x".repeat(contentBytes));
        return body;
    }

    @Test
    void aThousandRecipientsOfANearLimitMessageGet413NamingTheLimitAndPublishNothing() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // Each job fits a record; all of them would be ~60 MiB against a 2 MiB limit.
        ObjectNode body = request(tag, MailSendRequest.MAX_RECIPIENTS, IntakeTestSettings.MAX_RECORD_BYTES - 4096);

        Response response = send(body.toString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.jsonPath().getString("errors[0].message"))
                .contains("1000 recipients")
                .contains("at most " + IntakeTestSettings.MAX_REQUEST_RECORDS_BYTES + " bytes");
        assertThat(PublishedRecords.jobs(sendJobsTopic, job -> job.to().email().contains(tag))).isEmpty();
        assertThat(PublishedRecords.events(eventsTopic, event -> event.email().contains(tag))).isEmpty();
    }

    @Test
    void aRequestJustUnderTheLimitIsAccepted() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // 30 copies of 60 KiB plus their events: about 1.9 MB of the 2 MiB.
        ObjectNode body = request(tag, 30, 60 * 1024);

        Response response = send(body.toString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(PublishedRecords.jobs(sendJobsTopic, job -> job.to().email().contains(tag))).hasSize(30);
    }
}
