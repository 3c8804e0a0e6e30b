package io.letterlock.delivery.content;

import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request's stored content back from the mail-content topic: assigns the reference's
 * partition (no consumer group, nothing committed), seeks to its first chunk and keeps the records
 * of its key until it has them all. Other requests' chunks may lie between, so it reads on past
 * them.
 *
 * <p>A job can be read before its content is: a read_committed consumer reads a partition only up
 * to its last stable offset, and another request's transaction still open on the content
 * partition, begun before this one's, holds that back although this one committed (its job, on
 * another topic, is already readable). So a chunk not there yet is waited for, until the fetch
 * timeout, and then the job is deferred; only content that is not in the partition at all (gone
 * with retention, or an offset the partition never had) is unavailable for good.
 *
 * <p>Not thread-safe (one Kafka consumer): {@code StoredContents} gives each reader thread its own.
 */
final class ContentTopicReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration timeout;

    ContentTopicReader(String topic, Map<String, Object> kafkaConfig, Duration timeout) {
        this.topic = topic;
        this.timeout = timeout;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only what intake's transactions committed: an aborted request's chunks are never read.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // An offset outside the partition fails the read instead of silently moving elsewhere.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // A chunk record may be larger than the 1 MiB a fetch takes per partition by default.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.Records.JOB);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "content-reader");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * @return the chunks in index order, to be checked against the reference ({@link ContentChunks#join})
     * @throws ContentUnavailableException when the partition no longer (or never) has the first chunk
     * @throws TimeoutException            when the chunks were not all readable in time; reading
     *                                     again later may work
     */
    List<byte[]> read(ContentRef ref) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TopicPartition partition = new TopicPartition(topic, ref.partition());
        consumer.assign(List.of(partition));
        consumer.seek(partition, ref.offset());
        byte[][] chunks = new byte[ref.chunks()][];
        int found = 0;
        while (found < chunks.length) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("read " + found + " of " + ref.chunks() + " chunks of " + ref.key()
                        + " at " + partition + "@" + ref.offset() + " within " + timeout
                        + " (an older transaction still open on the partition holds back what read_committed sees)");
            }
            ConsumerRecords<String, byte[]> records;
            try {
                records = consumer.poll(POLL);
            } catch (OffsetOutOfRangeException e) {
                throw new ContentUnavailableException(ref, "is not in the partition (gone with retention, or "
                        + "never there): " + e.getMessage());
            }
            for (ConsumerRecord<String, byte[]> record : records) {
                if (!ref.key().equals(record.key())) {
                    continue;
                }
                int index = indexOf(record, ref);
                if (chunks[index] == null) {
                    chunks[index] = record.value() == null ? new byte[0] : record.value();
                    found++;
                }
            }
        }
        return new ArrayList<>(Arrays.asList(chunks));
    }

    private static int indexOf(ConsumerRecord<String, byte[]> record, ContentRef ref) {
        Header header = record.headers().lastHeader(ContentRef.CHUNK_HEADER);
        try {
            int index = Integer.parseInt(new String(header.value(), StandardCharsets.US_ASCII));
            if (index >= 0 && index < ref.chunks()) {
                return index;
            }
        } catch (RuntimeException e) {
            // below
        }
        throw new ContentUnavailableException(ref, "has a chunk at " + record.offset() + " without a valid index");
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
