package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.restassured.response.Response;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claim checks through the public API: a request's large content is written once to the
 * mail-content topic, its jobs carry only a reference, and every recipient's server still gets
 * every file exactly as sent, also where one job could never have held the message.
 */
@DeliveryTest
class MailSendStoredContentTest {

    private static final TestAccount ACCOUNT = TestAccounts.account(97);
    private static final TestAccount STRICT = TestAccounts.account(98);
    private static final int CHUNK_SIZE = 512 * 1024;

    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.send-jobs-retry")
    String retryTopic;
    @ConfigProperty(name = "letterlock.topics.send-jobs-dlq")
    String deadLetters;
    @ConfigProperty(name = "letterlock.topics.mail-content")
    String mailContent;
    @ConfigProperty(name = "letterlock.topics.tls-settings")
    String tlsSettings;

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String request(List<String> recipients, byte[] file) {
        String to = recipients.stream().map(r -> "{\"to\":[{\"email\":\"" + r + "\"}]}").collect(Collectors.joining(","));
        return """
                {"personalizations":[%s],
                 "from":{"email":"statements@bank.example"},"subject":"Your statement",
                 "content":[{"type":"text/plain","value":"Your statement is attached."}],
                 "attachments":[{"content":"%s","type":"application/pdf","filename":"statement.pdf"}]}"""
                .formatted(to, Base64.getEncoder().encodeToString(file));
    }

    private static String send(TestAccount account, String body) {
        Response response = given().header("Authorization", account.bearer()).contentType("application/json")
                .body(body).post("/v3/mail/send");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        return response.header("X-Message-Id");
    }

    private static byte[] attachmentOf(ReceivedMessage received) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
        MimeBodyPart file = (MimeBodyPart) ((MimeMultipart) message.getContent()).getBodyPart(1);
        assertThat(file.getFileName()).isEqualTo("statement.pdf");
        return file.getInputStream().readAllBytes();
    }

    private List<SendJob> jobsOf(String topic, String messageId) {
        return TestKafka.readAll(topic).stream()
                .map(record -> Json.fromBytes(record.value(), SendJob.class))
                .filter(job -> job.messageId().equals(messageId))
                .toList();
    }

    @Test
    void aStatementForTwelveRecipientsIsStoredOnceAndEveryRecipientGetsItWhole() throws Exception {
        byte[] statement = bytes(1_500_000, 7);
        List<String> recipients = IntStream.range(0, 12).mapToObj(i -> "stored-" + i + "@valid.test").toList();

        String messageId = send(ACCOUNT, request(recipients, statement));

        await("12 delivered events of " + messageId).atMost(Duration.ofSeconds(60))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.event() == EventType.DELIVERED).count() == 12);
        List<ConsumerRecord<String, byte[]>> chunks = TestKafka.readAll(mailContent).stream()
                .filter(record -> messageId.equals(record.key())).toList();
        long stored = chunks.stream().mapToLong(record -> record.value().length).sum();
        // base64 makes 1.5 MB 2 MB: one copy, in four chunks, not twelve.
        assertThat(stored).isBetween(2_000_000L, 2_100_000L);
        assertThat(chunks).hasSize((int) ((stored + CHUNK_SIZE - 1) / CHUNK_SIZE));
        List<ConsumerRecord<String, byte[]>> jobRecords = TestKafka.readAll(sendJobs).stream()
                .filter(record -> new String(record.value(), StandardCharsets.UTF_8).contains(messageId)).toList();
        assertThat(jobRecords).hasSize(12).allSatisfy(record -> assertThat(record.value().length).isLessThan(2_000));
        assertThat(jobsOf(sendJobs, messageId)).allSatisfy(job -> {
            assertThat(job.content()).isEmpty();
            assertThat(job.contentRef().bytes()).isEqualTo(stored);
            assertThat(job.contentRef().chunks()).isEqualTo(chunks.size());
        });
        for (String recipient : recipients) {
            ReceivedMessage received = MailWorld.server("valid.test").received().stream()
                    .filter(m -> m.recipients().contains(recipient)).findFirst().orElseThrow();
            assertThat(attachmentOf(received)).as(recipient).isEqualTo(statement);
        }
    }

    @Test
    void aMessageTenTimesLargerThanAJobRecordIsDelivered() throws Exception {
        byte[] archive = bytes(10 << 20, 11);
        String recipient = "stored-large@valid.test";

        String messageId = send(ACCOUNT, request(List.of(recipient), archive));

        MailEvent delivered = await("delivered event of " + messageId).atMost(Duration.ofSeconds(60))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.event() == EventType.DELIVERED).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(delivered.email()).isEqualTo(recipient);
        ReceivedMessage received = MailWorld.server("valid.test").received().stream()
                .filter(m -> m.recipients().contains(recipient)).findFirst().orElseThrow();
        assertThat(received.data().length).isGreaterThan(archive.length * 4 / 3);
        assertThat(attachmentOf(received)).isEqualTo(archive);
    }

    @Test
    void aDeferredJobGoesToTheRetryTopicWithItsReferenceNotACopy() {
        Mailbox.settings(tlsSettings, STRICT.id(), true, true);
        byte[] statement = bytes(300_000, 13);

        String messageId = send(STRICT, request(List.of("stored-deferred@badcert.test"), statement));

        await("deferred event of " + messageId).atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.events(events, messageId).stream().anyMatch(e -> e.event() == EventType.DEFERRED));
        List<SendJob> retried = await("the retry of " + messageId).atMost(Duration.ofSeconds(30))
                .until(() -> jobsOf(retryTopic, messageId), jobs -> !jobs.isEmpty());
        assertThat(retried).allSatisfy(job -> {
            assertThat(job.content()).isEmpty();
            assertThat(job.attachments()).isEmpty();
            assertThat(job.contentRef()).isNotNull();
            assertThat(job.attempt()).isPositive();
        });
    }

    /**
     * A transaction begun earlier and still open on the content partition holds back what
     * read_committed readers see there, while the request's jobs (another topic) are already
     * readable: the worker must wait for its content, not give the message up.
     */
    @Test
    void contentHeldBackByAnOlderOpenTransactionIsWaitedForAndDelivered() {
        String recipient = "stored-held@valid.test";
        try (KafkaProducer<String, byte[]> blocker = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "transactional.id", "blocker-" + System.nanoTime()),
                new StringSerializer(), new ByteArraySerializer())) {
            blocker.initTransactions();
            blocker.beginTransaction();
            for (int partition = 0; partition < partitionsOf(mailContent); partition++) {
                blocker.send(new ProducerRecord<>(mailContent, partition, "blocker", new byte[1]));
            }
            blocker.flush();

            String messageId = send(ACCOUNT, request(List.of(recipient), bytes(200_000, 17)));

            // While the older transaction is open: neither delivered nor given up.
            await("the job waiting for its content").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> Mailbox.events(events, messageId).stream()
                            .noneMatch(e -> e.event() == EventType.DELIVERED || e.event() == EventType.DROPPED));
            blocker.abortTransaction();

            MailEvent delivered = await("delivered once the older transaction ended").atMost(Duration.ofSeconds(30))
                    .until(() -> Mailbox.events(events, messageId).stream()
                            .filter(e -> e.event() == EventType.DELIVERED).findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
            assertThat(delivered.email()).isEqualTo(recipient);
            assertThat(Mailbox.events(events, messageId)).noneMatch(e -> e.event() == EventType.DROPPED);
        }
    }

    private static int partitionsOf(String topic) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            return producer.partitionsFor(topic).size();
        }
    }

    @Test
    void aJobWhoseStoredContentIsGoneIsKeptOnTheDeadLetterTopicAndTheSenderHearsOfIt() {
        SendJob job = Mailbox.job(ACCOUNT.id(), "stored-gone@valid.test", "gone")
                .withContentRef(new ContentRef("msg-gone-" + System.nanoTime(), 0, 1_000_000_000L, 1, 10,
                        "0".repeat(64)));
        byte[] value = Json.toBytes(job);

        Mailbox.send(sendJobs, job);

        await("the dead letter").atMost(Duration.ofSeconds(30)).until(() -> TestKafka.readAll(deadLetters).stream()
                .anyMatch(record -> Arrays.equals(record.value(), value)));
        MailEvent dropped = Mailbox.awaitEvent(events, job, EventType.DROPPED);
        assertThat(dropped.reason()).contains("stored content").contains("is not in the partition");
        assertThat(MailWorld.server("valid.test").received()).noneMatch(m -> m.recipients().contains("stored-gone@valid.test"));
    }
}
