package io.letterlock.service.kafka;

import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partition whose previous owner died inside a transaction that carried its offsets: the new owner
 * cannot read the commit (with its map of finished records) until the coordinator aborts that
 * transaction. It must wait for it, not read the partition without the map, which would repeat the
 * records the owner finished after its last commit (ReplicaKillIT once caught a mail sent twice so).
 */
class ConsumerLoopFinishedAheadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());
    private final String topic = TestKafka.uniqueTopic("finished-ahead");
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private final String group = "finished-ahead-" + UUID.randomUUID();

    private KafkaProducer<String, byte[]> previousOwner() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "previous-owner-" + UUID.randomUUID());
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    @Test
    void aNewOwnerWaitsForThePreviousOwnersOpenTransactionAndThenSkipsWhatItFinished() throws Exception {
        TestKafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
            for (int i = 0; i < 5; i++) {
                publisher.publish(topic, "k", new byte[]{(byte) i});
            }
        }
        // The previous owner read offsets 0..3, finished 0, 2 and 3, and committed that: offset 1,
        // with 2 and 3 finished above it.
        OffsetAndMetadata commit = new OffsetAndMetadata(1, FinishedAhead.encode(1, 4, new TreeSet<>(List.of(1L)),
                FinishedAhead.MAX_LENGTH));
        try (KafkaProducer<String, byte[]> owner = previousOwner()) {
            owner.beginTransaction();
            owner.sendOffsetsToTransaction(Map.of(partition, commit), new ConsumerGroupMetadata(group));
            owner.commitTransaction();
            // Then it began its next transaction and died before committing it.
            owner.beginTransaction();
            owner.send(new ProducerRecord<>(topic + "-outcomes", "k", new byte[0]));
            owner.sendOffsetsToTransaction(Map.of(partition, commit), new ConsumerGroupMetadata(group));

            try (Recording loop = new Recording(kafka, topic, group)) {
                loop.start();
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(loop.awaitingFinishedAhead()).containsExactly(partition));
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                        .untilAsserted(() -> assertThat(loop.processed).as("nothing read while the commit is unsettled").isEmpty());

                // What the coordinator does when the transaction times out.
                owner.abortTransaction();

                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(loop.processed).containsExactly(1L, 4L));
                assertThat(loop.skipped).containsExactly(2L, 3L);
                assertThat(loop.awaitingFinishedAhead()).isEmpty();
            }
        }
    }

    private static final class Recording extends ConsumerLoop {

        final List<Long> processed = new CopyOnWriteArrayList<>();
        final List<Long> skipped = new CopyOnWriteArrayList<>();
        private final Map<TopicPartition, FinishedAhead> finished = new ConcurrentHashMap<>();

        Recording(Map<String, Object> kafka, String topic, String group) {
            super(kafka, topic, new Settings(group, group, 10, true, "loop-" + topic, Duration.ofSeconds(5)));
        }

        @Override
        protected void assigned(Collection<TopicPartition> partitions) {
            finished.putAll(finishedAhead(partitions));
        }

        @Override
        protected void finishedAheadRead(Map<TopicPartition, FinishedAhead> late) {
            finished.putAll(late);
        }

        @Override
        protected void turn() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                FinishedAhead map = finished.getOrDefault(new TopicPartition(record.topic(), record.partition()),
                        FinishedAhead.none());
                (map.contains(record.offset()) ? skipped : processed).add(record.offset());
            }
        }
    }
}
