package io.letterlock.delivery.content;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.StoredContent;
import io.letterlock.service.TopicNames;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The stored content of the jobs a worker delivers: read from the mail-content topic on a few
 * threads of its own (one waiting for content an open transaction holds back does not stop the others), kept in a cache weighed in bytes for the request's other recipients (a
 * request's jobs are delivered close together), and handed out under a budget of bytes in delivery
 * at once, so that 1,000 jobs in flight with 30 MB files each cannot take the heap.
 */
@ApplicationScoped
public class StoredContents {

    /**
     * What a message takes while in delivery, per stored byte: the file's base64 cut into lines, the
     * composed message, and while it is composed the pieces it is copied from; sending takes one
     * 64 KiB chunk at a time more (mail-kit's MessageData.stream).
     */
    static final int IN_FLIGHT_BYTES_PER_STORED_BYTE = 3;

    private final String topic;
    private final Map<String, Object> kafkaConfig;
    private final Duration timeout;
    private final ContentBudget budget;
    private final AsyncCache<ContentRef, StoredContent> cache;
    /** Reader threads, each with a Kafka consumer of its own (made on first use, closed at the end). */
    private final ExecutorService readerThreads;
    private final ThreadLocal<ContentTopicReader> reader = new ThreadLocal<>();
    private final Queue<ContentTopicReader> readers = new ConcurrentLinkedQueue<>();

    public StoredContents(ContentConfig config, TopicNames topics,
                          @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.topic = topics.mailContent();
        this.kafkaConfig = kafkaConfig;
        this.timeout = config.fetchTimeout();
        this.budget = new ContentBudget(config.maxInFlightBytes().asLongValue());
        AtomicInteger threads = new AtomicInteger();
        this.readerThreads = Executors.newFixedThreadPool(config.readers(), runnable -> {
            Thread thread = new Thread(runnable, "content-reader-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.cache = Caffeine.newBuilder()
                .maximumWeight(config.cacheSize().asLongValue())
                .weigher((ContentRef ref, StoredContent content) -> (int) Math.min(Integer.MAX_VALUE, ref.bytes()))
                .expireAfterAccess(Duration.ofMinutes(10))
                .executor(readerThreads)
                .buildAsync();
    }

    /**
     * Runs {@code use} with the content {@code ref} points to, once the budget allows, and gives the
     * budget back when the future {@code use} returns completes.
     *
     * @return {@code use}'s result; failed with {@link ContentUnavailableException} when the content
     *         is gone or damaged, or with a {@link TimeoutException} when Kafka did not answer in time
     */
    public <T> CompletableFuture<T> withContent(ContentRef ref, Function<StoredContent, CompletableFuture<T>> use) {
        long weight = ref.bytes() * IN_FLIGHT_BYTES_PER_STORED_BYTE;
        return budget.acquire(weight)
                .thenCompose(granted -> cache.get(ref, (key, executor) -> CompletableFuture.supplyAsync(() -> read(key),
                        readerThreads)))
                .thenCompose(use)
                .whenComplete((result, error) -> budget.release(weight));
    }

    /** Bytes of stored content in delivery now, counted as {@link #withContent} weighs them. */
    public long inFlightBytes() {
        return budget.held();
    }

    private StoredContent read(ContentRef ref) {
        ContentTopicReader mine = reader.get();
        if (mine == null) {
            mine = new ContentTopicReader(topic, kafkaConfig, timeout);
            reader.set(mine);
            readers.add(mine);
        }
        try {
            return ContentChunks.join(ref, mine.read(ref));
        } catch (TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    @PreDestroy
    void close() {
        readerThreads.shutdownNow();
        try {
            readerThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Each consumer was only ever used by its own thread, which has stopped.
        readers.forEach(ContentTopicReader::close);
    }
}
