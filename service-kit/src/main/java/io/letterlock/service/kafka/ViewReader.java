package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one consumer that keeps several {@link CompactedTopicView}s current: a service reads all its
 * compacted topics through one reader, so that at rest it sends one fetch per wait and one
 * end-offsets question a second, not one of each per topic. (policy-service's five views, each
 * with a consumer of its own at a 100 ms fetch wait, made fifty fetches and five end-offsets
 * questions a second between them whether or not anything was written.)
 *
 * <p>The reader joins no group and reads every partition of each view's topic from the beginning,
 * read_committed. A view whose topic does not exist yet waits for it (its owner may start later)
 * while the others are read. Records are handed to the view of their topic on the reader's thread;
 * a view that fails to decode a record skips it (see {@link CompactedTopicView}), and a decoder that
 * hangs holds up every view of the reader, which then all stop being current. If the consumer
 * itself fails, every view it reads stops being healthy: they fail closed together.
 */
public final class ViewReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ViewReader.class);
    /** How long a poll waits when nothing arrives; the fetch's own wait (fetch.max.wait.ms) is shorter. */
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long one look for a missing topic, or one end-offsets question, may wait on the broker. */
    private static final Duration BROKER_WAIT = Duration.ofSeconds(5);
    /** Between looks for topics that do not exist yet. */
    private static final Duration TOPIC_LOOK_PAUSE = Duration.ofMillis(500);

    private final String name;
    private final Map<String, Object> consumerConfig;
    /** Topics of the views added and not removed, to refuse a second view of one topic. */
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final Queue<CompactedTopicView<?>> joining = new ConcurrentLinkedQueue<>();
    private final Queue<CompactedTopicView<?>> leaving = new ConcurrentLinkedQueue<>();
    private final Object wake = new Object();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    // The reader thread's own state.
    /** Views whose topic was not found yet, in the order they were added. */
    private final List<CompactedTopicView<?>> awaitingTopic = new ArrayList<>();
    /** Of those, the ones whose wait has been logged. */
    private final Set<CompactedTopicView<?>> announcedWaiting = new HashSet<>();
    /** Topic → the view that reads it and its partitions, for every view whose partitions are assigned. */
    private final Map<String, Reading> reading = new LinkedHashMap<>();
    /** A view joined: look for its topic now rather than after the pause. */
    private boolean lookNow;
    private long lastTopicLook;
    private long lastAsked;

    /**
     * @param name        the consumer's client id (unless {@code kafkaConfig} has one) and the thread's name
     * @param kafkaConfig client configuration (bootstrap servers, security); consumer settings the
     *                    views rely on are set here and win
     */
    public ViewReader(String name, Map<String, Object> kafkaConfig) {
        this.name = name;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // A reader that starts before the owner must not make a broker auto-create the topic with
        // its defaults (uncompacted), which the owner would then refuse.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, name);
        this.consumerConfig = config;
    }

    /**
     * Starts reading {@code view}'s topic from the beginning, starting the reader if it is not
     * running; returns at once.
     *
     * @throws IllegalArgumentException when the reader already reads a view of the same topic
     * @throws IllegalStateException    after {@link #close()}
     */
    synchronized void add(CompactedTopicView<?> view) {
        if (!running) {
            throw new IllegalStateException("view reader " + name + " is closed");
        }
        if (!topics.add(view.topic())) {
            throw new IllegalArgumentException("view reader " + name + " already reads " + view.topic());
        }
        joining.add(view);
        if (thread == null) {
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Stops reading {@code view}'s topic; the reader goes on with the others. */
    void remove(CompactedTopicView<?> view) {
        leaving.add(view);
        topics.remove(view.topic());
    }

    /** Null while the consumer runs; what stopped it otherwise. */
    Throwable failure() {
        return failure;
    }

    boolean isRunning() {
        return running && failure == null;
    }

    private void run() {
        try {
            while (running) {
                admit();
                lookForTopics();
                if (reading.isEmpty()) {
                    // Nothing assigned: a poll would refuse. Wait for a view or for the next look.
                    synchronized (wake) {
                        if (joining.isEmpty() && running) {
                            wake.wait(TOPIC_LOOK_PAUSE.toMillis());
                        }
                    }
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    Reading topic = reading.get(record.topic());
                    if (topic != null) {
                        topic.view().apply(record);
                    }
                }
                for (Reading topic : reading.values()) {
                    topic.view().advanced(positions(topic.partitions()));
                }
                askEndOffsets();
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "view reader %s stopped; its views %s are no longer current", name, topics);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            reading.values().forEach(topic -> topic.view().readerStopped());
            awaitingTopic.forEach(CompactedTopicView::readerStopped);
            joining.forEach(CompactedTopicView::readerStopped);
        }
    }

    /** Takes in the views added and drops the views removed since the last round. */
    private void admit() {
        for (CompactedTopicView<?> view; (view = joining.poll()) != null; ) {
            awaitingTopic.add(view);
            lookNow = true;
        }
        boolean dropped = false;
        for (CompactedTopicView<?> view; (view = leaving.poll()) != null; ) {
            awaitingTopic.remove(view);
            announcedWaiting.remove(view);
            Reading topic = reading.get(view.topic());
            if (topic != null && topic.view() == view) {
                reading.remove(view.topic());
                dropped = true;
            }
        }
        if (dropped) {
            consumer.assign(assigned());
        }
    }

    /**
     * Assigns the partitions of every view whose topic exists now, from the beginning. The others
     * are looked for again after a pause.
     */
    private void lookForTopics() {
        long now = System.nanoTime();
        if (awaitingTopic.isEmpty() || (!lookNow && now - lastTopicLook < TOPIC_LOOK_PAUSE.toNanos())) {
            return;
        }
        lookNow = false;
        lastTopicLook = now;
        List<TopicPartition> added = new ArrayList<>();
        List<Reading> found = new ArrayList<>();
        for (CompactedTopicView<?> view : List.copyOf(awaitingTopic)) {
            List<PartitionInfo> infos = TopicPresence.look(consumer, view.topic(), BROKER_WAIT);
            if (infos.isEmpty()) {
                if (announcedWaiting.add(view)) {
                    TopicPresence.logWaiting(name, view.topic());
                }
                continue;
            }
            if (announcedWaiting.remove(view)) {
                TopicPresence.logArrived(name, view.topic());
            }
            List<TopicPartition> topicPartitions = infos.stream()
                    .map(p -> new TopicPartition(view.topic(), p.partition())).toList();
            Reading topic = new Reading(view, topicPartitions);
            awaitingTopic.remove(view);
            reading.put(view.topic(), topic);
            added.addAll(topicPartitions);
            found.add(topic);
        }
        if (added.isEmpty()) {
            return;
        }
        consumer.assign(assigned());
        consumer.seekToBeginning(added);
        Map<TopicPartition, Long> end = consumer.endOffsets(added);
        long asked = System.nanoTime();
        // The answer just asked is the new views' first question; the next comes a check later.
        lastAsked = asked;
        for (Reading topic : found) {
            topic.view().assigned(byPartition(topic.partitions(), end), asked);
            // A topic with nothing to read (empty, or compacted down to nothing) is rebuilt now, not
            // after a poll that waits for records that are not there.
            topic.view().advanced(positions(topic.partitions()));
        }
    }

    /** Partition → the offset of the next record the consumer will hand over. */
    private Map<Integer, Long> positions(List<TopicPartition> topicPartitions) {
        Map<Integer, Long> positions = new HashMap<>();
        for (TopicPartition partition : topicPartitions) {
            positions.put(partition.partition(), consumer.position(partition));
        }
        return positions;
    }

    /**
     * Asks, about every {@link CompactedTopicView#CURRENCY_CHECK}, for the end offsets of every view
     * that has applied the answer to its last question, in one request. A broker that does not
     * answer leaves the views' last marks standing, so they age until it answers again.
     */
    private void askEndOffsets() {
        long now = System.nanoTime();
        if (now - lastAsked < CompactedTopicView.CURRENCY_CHECK.toNanos()) {
            return;
        }
        List<Reading> asking = new ArrayList<>();
        List<TopicPartition> wanted = new ArrayList<>();
        for (Reading topic : reading.values()) {
            if (topic.view().wantsEndOffsets()) {
                asking.add(topic);
                wanted.addAll(topic.partitions());
            }
        }
        if (asking.isEmpty()) {
            return;
        }
        lastAsked = now;
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(wanted, BROKER_WAIT);
            for (Reading topic : asking) {
                topic.view().asked(byPartition(topic.partitions(), end), now);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debugf("view reader %s: end offsets not known (%s); its views age", name, e.getMessage());
        }
    }

    private Set<TopicPartition> assigned() {
        Set<TopicPartition> all = new HashSet<>();
        reading.values().forEach(topic -> all.addAll(topic.partitions()));
        return all;
    }

    private static Map<Integer, Long> byPartition(List<TopicPartition> topicPartitions, Map<TopicPartition, Long> end) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (TopicPartition partition : topicPartitions) {
            offsets.put(partition.partition(), end.getOrDefault(partition, 0L));
        }
        return Map.copyOf(offsets);
    }

    /** A view whose topic's partitions are assigned, and those partitions. */
    private record Reading(CompactedTopicView<?> view, List<TopicPartition> partitions) {
    }

    /** Stops the consumer; every view it read stops being healthy. */
    @Override
    public void close() {
        Thread reader;
        synchronized (this) {
            running = false;
            reader = thread;
            if (consumer != null) {
                consumer.wakeup();
            }
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        if (reader != null) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
