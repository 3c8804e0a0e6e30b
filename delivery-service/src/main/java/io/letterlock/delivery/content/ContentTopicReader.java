package io.letterlock.delivery.content;

import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * them, but never past the end the partition had when it started: chunks are committed with the
 * jobs that point to them, so a job can only be read once they are all there.
 *
 * <p>Not thread-safe (one Kafka consumer): {@code StoredContents} calls it from one thread.
 */
final class ContentTopicReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

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
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // A chunk record may be larger than the 1 MiB a fetch takes per partition by default.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.Records.JOB);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "content-reader");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * @return the chunks in index order, checked against the reference ({@link ContentChunks#join})
     * @throws ContentUnavailableException when they are gone (retention) or not all there
     * @throws TimeoutException            when Kafka did not answer in time; reading again may work
     */
    List<byte[]> read(ContentRef ref) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TopicPartition partition = new TopicPartition(topic, ref.partition());
        consumer.assign(List.of(partition));
        long start;
        long end;
        try {
            start = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
            end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new TimeoutException("no answer from Kafka about " + partition + " within " + timeout);
        }
        if (ref.offset() < start) {
            throw new ContentUnavailableException(ref, "is no longer kept (the partition starts at " + start + ")");
        }
        if (ref.offset() >= end) {
            throw new ContentUnavailableException(ref, "is beyond the partition's end (" + end + ")");
        }
        consumer.seek(partition, ref.offset());
        byte[][] chunks = new byte[ref.chunks()][];
        int found = 0;
        long position = ref.offset();
        while (found < chunks.length) {
            if (position >= end) {
                throw new ContentUnavailableException(ref, "has " + found + " of " + ref.chunks() + " chunks");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("read " + found + " of " + ref.chunks() + " chunks of " + ref.key()
                        + " within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                position = record.offset() + 1;
                if (!ref.key().equals(record.key())) {
                    continue;
                }
                int index = indexOf(record, ref);
                if (chunks[index] == null) {
                    chunks[index] = record.value() == null ? new byte[0] : record.value();
                    found++;
                }
            }
            // Transaction markers and aborted records take offsets that poll never returns.
            position = Math.max(position, consumer.position(partition));
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
