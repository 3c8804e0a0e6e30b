package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A loop that starts before the service owning its topic created it reads the topic once it exists. */
class ConsumerLoopTopicWaitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());

    @Test
    void aLoopStartedBeforeItsTopicExistsReadsItsFirstRecordsOnceTheOwnerCreatesIt() throws Exception {
        String topic = TestKafka.uniqueTopic("owned-elsewhere");
        try (Collecting loop = new Collecting(kafka, topic)) {
            loop.start();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> loop.isHealthy());
            try (Admin admin = TestKafka.admin()) {
                assertThat(admin.listTopics().names().get()).as("the reader did not create it").doesNotContain(topic);
            }

            KafkaTopics.create(kafka, Topic.EVENTS, List.of(topic), KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of());
            try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
                publisher.publish(topic, "k", "first".getBytes(StandardCharsets.UTF_8));
            }

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(loop.values).containsExactly("first"));
        }
    }

    private static final class Collecting extends ConsumerLoop {

        final List<String> values = new CopyOnWriteArrayList<>();

        Collecting(Map<String, Object> kafka, String topic) {
            super(kafka, topic, new Settings("wait-" + topic, "wait-" + topic, 10, true, "loop-" + topic,
                    Duration.ofSeconds(5)));
        }

        @Override
        protected void turn() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
    }
}
