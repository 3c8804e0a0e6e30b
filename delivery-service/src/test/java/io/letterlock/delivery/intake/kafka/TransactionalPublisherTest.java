package io.letterlock.delivery.intake.kafka;

import io.letterlock.delivery.intake.config.IntakeConfig;
import io.letterlock.testkit.kafka.TopicRecords;
import io.letterlock.testkit.kafka.TestKafka;
import io.quarkus.runtime.configuration.MemorySize;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TransactionalPublisherTest {

    private static IntakeConfig config(Duration publishTimeout) {
        return new IntakeConfig() {
            @Override public MemorySize maxBodySize() { return new MemorySize(BigInteger.valueOf(30L << 20)); }
            @Override public MemorySize maxRecordSize() { return new MemorySize(BigInteger.valueOf(1L << 20)); }
            @Override public MemorySize maxRequestRecordsSize() { return new MemorySize(BigInteger.valueOf(128L << 20)); }
            @Override public PerAccount perAccount() { throw new UnsupportedOperationException("not the publisher's"); }
            @Override public Duration jobLifetime() { return Duration.ofHours(72); }
            @Override public Duration publishTimeout() { return publishTimeout; }
            @Override public int producers() { return 1; }
            @Override public Optional<String> transactionalIdPrefix() {
                return Optional.of(TestKafka.uniqueTopic("intake-test"));
            }
        };
    }

    private static TransactionalPublisher publisherTo(String bootstrapServers, Duration timeout) {
        return new TransactionalPublisher(Map.of("bootstrap.servers", bootstrapServers), config(timeout));
    }

    private static ProducerRecord<String, byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, "key", value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commitsEveryRecordOfOneCallForReadCommittedConsumers() {
        String jobs = TestKafka.uniqueTopic("jobs");
        String events = TestKafka.uniqueTopic("events");
        TransactionalPublisher publisher = publisherTo(TestKafka.bootstrapServers(), Duration.ofSeconds(10));
        try {
            publisher.publishAtomically(List.of(record(jobs, "job-1"), record(jobs, "job-2"), record(events, "event-1")));
        } finally {
            publisher.close();
        }

        assertThat(TopicRecords.committed(jobs)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("job-1", "job-2");
        assertThat(TopicRecords.committed(events)).hasSize(1);
    }

    @Test
    void sendsEachRecordBeforeTheNextIsMadeSoARequestNeverHoldsAllOfThem() {
        String jobs = TestKafka.uniqueTopic("jobs");
        // Each record is made only once the previous one reached the broker (uncommitted, as a
        // read_uncommitted consumer sees it): a publisher that collected them first would wait forever.
        Iterable<ProducerRecord<String, byte[]>> madeOneByOne = () -> IntStream.range(0, 3)
                .mapToObj(i -> {
                    if (i > 0) {
                        await().atMost(Duration.ofSeconds(5)).until(() -> TopicRecords.all(jobs).size() == i);
                    }
                    return record(jobs, "job-" + i);
                })
                .iterator();
        TransactionalPublisher publisher = publisherTo(TestKafka.bootstrapServers(), Duration.ofSeconds(10));
        try {
            publisher.publishAtomically(madeOneByOne);
        } finally {
            publisher.close();
        }

        assertThat(TopicRecords.committed(jobs)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("job-0", "job-1", "job-2");
    }

    @Test
    void aFailedTransactionIsAbortedAndTheNextOneSucceeds() throws Exception {
        String jobs = TestKafka.uniqueTopic("jobs");
        String tinyEvents = TestKafka.uniqueTopic("events");
        // Room for the transaction markers (under 100 bytes), not for a 500-byte record.
        TestKafka.createTopics(List.of(new NewTopic(tinyEvents, 1, (short) 1)
                .configs(Map.of("max.message.bytes", "200"))));
        TransactionalPublisher publisher = publisherTo(TestKafka.bootstrapServers(), Duration.ofSeconds(10));
        try {
            assertThatThrownBy(() -> publisher.publishAtomically(
                    List.of(record(jobs, "aborted"), record(tinyEvents, "x".repeat(500)))))
                    .isInstanceOf(TransactionalPublisher.PublishFailedException.class);

            publisher.publishAtomically(List.of(record(jobs, "committed")));
        } finally {
            publisher.close();
        }

        assertThat(TopicRecords.committed(jobs)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("committed");
    }

    @Test
    void failsWithinItsTimeoutWhenKafkaIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TransactionalPublisher publisher = publisherTo("127.0.0.1:" + closedPort, Duration.ofSeconds(2));
        long started = System.nanoTime();
        try {
            assertThatThrownBy(() -> publisher.publishAtomically(List.of(record("jobs", "job"))))
                    .isInstanceOf(TransactionalPublisher.PublishFailedException.class);
        } finally {
            publisher.close();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
}
