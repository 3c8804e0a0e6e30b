package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPublisherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());

    @Test
    void aLingeringPublisherAcknowledgesEveryRecordOfABurstInOrderPerKey() throws Exception {
        String topic = TestKafka.uniqueTopic("publisher");
        KafkaTopics.create(kafka, Topic.EVENTS, List.of(topic),
                new KafkaTopics.TopicLayout(Optional.of(2), Optional.empty()), Map.of());
        List<CompletableFuture<RecordMetadata>> acknowledged = new ArrayList<>();
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT, Duration.ofMillis(20))) {
            for (int i = 0; i < 200; i++) {
                acknowledged.add(publisher.publishAsync(topic, "key-" + (i % 3),
                        String.valueOf(i).getBytes(StandardCharsets.UTF_8), Map.of("n", String.valueOf(i))));
            }
            CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, byte[]>> records = TestKafka.readAll(topic);
        assertThat(records).hasSize(200);
        for (String key : List.of("key-0", "key-1", "key-2")) {
            List<Integer> values = records.stream().filter(r -> r.key().equals(key))
                    .map(r -> Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8))).toList();
            assertThat(values).isSorted().hasSizeGreaterThan(60);
        }
        assertThat(records).allSatisfy(r -> assertThat(new String(r.headers().lastHeader("n").value(),
                StandardCharsets.UTF_8)).isEqualTo(new String(r.value(), StandardCharsets.UTF_8)));
    }
}
