package io.letterlock.delivery.intake.api;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailBatch;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.Topics;
import io.letterlock.delivery.batches.BatchViews;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SendGrid's {@code batch_id} at intake: a batch the caller created (on policy-service; here its
 * record, as policy-service writes it) goes with every job of the request; another account's or
 * an unknown one is refused with 400 and nothing is published.
 */
@IntakeTest
class MailSendBatchIdTest {

    private static final TestAccount OWNER = TestAccounts.account(81);
    private static final TestAccount OTHER = TestAccounts.account(82);

    @ConfigProperty(name = "letterlock.topics.mail-batches")
    String mailBatchesTopic;
    @ConfigProperty(name = "letterlock.topics.send-jobs-retry")
    String retryTopic;
    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;
    @Inject
    BatchViews batches;

    private String batchOf(TestAccount account) {
        String batchId = UUID.randomUUID().toString().replace("-", "");
        MailBatch batch = MailBatch.created(account.id(), batchId, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(mailBatchesTopic, Topics.mailBatchKey(account.id(), batchId),
                    Json.toBytes(batch))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.find(account.id(), batchId).isPresent());
        return batchId;
    }

    private static String request(String recipient, String batchId) {
        long sendAt = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        return """
                {"personalizations":[{"to":[{"email":"%s"},{"email":"second-%s"}]}],
                 "from":{"email":"shop@sender.example"},"subject":"Scheduled","send_at":%d,"batch_id":"%s",
                 "content":[{"type":"text/plain","value":"Later"}]}""".formatted(recipient, recipient, sendAt, batchId);
    }

    @Test
    void everyJobOfTheRequestCarriesTheCallersBatch() {
        String batchId = batchOf(OWNER);

        Response response = MailSendBodies.post(OWNER, request("batch-1@example.com", batchId));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        String messageId = response.header("X-Message-Id");
        List<SendJob> jobs = PublishedRecords.jobs(retryTopic, job -> job.messageId().equals(messageId)).stream()
                .map(record -> record.value()).toList();
        assertThat(jobs).hasSize(2).allSatisfy(job -> assertThat(job.batchId()).isEqualTo(batchId));
    }

    @Test
    void anotherAccountsBatchIsRefusedAsInvalidAndNothingIsPublished() {
        String batchId = batchOf(OWNER);

        Response response = MailSendBodies.post(OTHER, request("batch-2@example.com", batchId));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getList("errors.field", String.class)).containsExactly("batch_id");
        assertThat(response.jsonPath().getString("errors[0].message")).startsWith("invalid batch id");
        assertThat(PublishedRecords.jobs(retryTopic, job -> job.to().email().equals("batch-2@example.com"))).isEmpty();
        assertThat(PublishedRecords.events(eventsTopic, event -> event.email().equals("batch-2@example.com"))).isEmpty();
    }

    @Test
    void aBatchIdNobodyCreatedIsRefusedAsInvalid() {
        Response response = MailSendBodies.post(OWNER, request("batch-3@example.com", "HkJ5yLYULb7Rj8GKSx7u025ouWVlMgAi"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getList("errors.field", String.class)).containsExactly("batch_id");
        assertThat(PublishedRecords.jobs(retryTopic, job -> job.to().email().equals("batch-3@example.com"))).isEmpty();
    }

    @Test
    void anEmptyBatchIdIsNoBatch() {
        Response response = MailSendBodies.post(OWNER, request("batch-4@example.com", ""));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        String messageId = response.header("X-Message-Id");
        assertThat(PublishedRecords.jobs(retryTopic, job -> job.messageId().equals(messageId)))
                .isNotEmpty().allSatisfy(record -> assertThat(record.value().batchId()).isNull());
    }
}
