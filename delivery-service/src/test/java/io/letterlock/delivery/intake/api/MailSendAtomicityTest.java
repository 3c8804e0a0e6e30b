package io.letterlock.delivery.intake.api;

import io.letterlock.testkit.kafka.TopicRecords;
import io.letterlock.testkit.accounts.ApiKeysTestResource;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that fails half way: the events topic refuses every record as too large, after the
 * jobs were written. The transaction must take the jobs back with it.
 */
@QuarkusTest
@WithTestResource(MailSendAtomicityTest.EventsTopicRefusingRecords.class)
@WithTestResource(ApiKeysTestResource.class)
class MailSendAtomicityTest {

    /**
     * Topics of its own, the events one with a 200-byte record limit: room for the transaction
     * markers, not for a processed event. Transactional ids of its own; no delivery worker.
     */
    public static class EventsTopicRefusingRecords implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfig());
            TestKafka.createTopics(List.of(new NewTopic(config.get("letterlock.topics.events"), 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "200"))));
            config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
            config.put("quarkus.kafka.devservices.enabled", "false");
            config.put("letterlock.intake.publish-timeout", "5s");
            config.put("letterlock.intake.transactional-id-prefix", TestKafka.uniqueTopic("intake-atomicity"));
            config.put("letterlock.delivery.enabled", "false");
            config.put("letterlock.retry.scheduler.enabled", "false");
            return config;
        }

        @Override
        public void stop() {
        }
    }

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobsTopic;

    @Test
    void aRequestThatFailsHalfWayLeavesNoJobForDeliveryAndAnswers503() {
        String recipient = MailSendBodies.uniqueRecipient();

        Response response = given().header("Authorization", TestAccounts.account(25).bearer())
                .body(MailSendBodies.minimal(recipient).toString())
                .post("/v3/mail/send");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.jsonPath().getString("errors[0].message")).contains("nothing will be sent");
        assertThat(TopicRecords.committed(sendJobsTopic)).isEmpty();
    }
}
