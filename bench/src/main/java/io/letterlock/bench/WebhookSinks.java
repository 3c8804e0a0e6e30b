package io.letterlock.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.letterlock.contracts.Json;
import io.letterlock.testkit.webhook.SendGridSignature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook subscribers of one benchmark round: one JDK HttpServer per endpoint on 127.0.0.1,
 * each on its own port as separate subscribers would be (the service's HTTP client pools its
 * connections per address, so endpoints sharing one port would share 4 connections). Every POST
 * is answered 200 at once, from a small shared handler pool.
 *
 * <p>Unlike test-kit's {@code TestWebhookReceiver} nothing is kept of a request: its JSON array is
 * parsed as it arrives and only each event's {@code sg_event_id} (which the benchmark numbered,
 * {@code <prefix><index>}) and {@code account_id} are looked at, so hundreds of thousands of events
 * cost a few megabytes. Every request must carry SendGrid's signature headers; the first request
 * of each endpoint and every {@value #VERIFY_EVERY}th after it is verified against the endpoint's
 * public key.
 */
final class WebhookSinks implements AutoCloseable {

    static final int VERIFY_EVERY = 10;
    private static final JsonFactory JSON = Json.mapper().getFactory();
    private static final AtomicInteger POOL_NUMBERS = new AtomicInteger();

    /** One POST as it arrived: which endpoint, when, how many events and bytes, its oldest event. */
    record Batch(int endpoint, long receivedAtNanos, int events, int bytes, int oldestIndex) {
    }

    private final String idPrefix;
    private final int expected;
    private final AtomicIntegerArray seen;
    private final long[] firstSeenAtNanos; // written once per index, before distinct is incremented
    private final AtomicInteger distinct = new AtomicInteger();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong misrouted = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unsigned = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private final AtomicLong firstReceivedAtNanos = new AtomicLong();
    private final AtomicLong lastNewAtNanos = new AtomicLong();
    private final Queue<Batch> batches = new ConcurrentLinkedQueue<>();
    private final ExecutorService handlers;
    private final List<Endpoint> endpoints = new ArrayList<>();

    /**
     * @param accountIds one endpoint per account, in order
     * @param idPrefix   the round's {@code sg_event_id}s are this prefix and the event's index
     * @param expected   how many distinct events the round sends, indexed 0..expected-1
     */
    WebhookSinks(List<String> accountIds, String idPrefix, int expected) {
        this.idPrefix = idPrefix;
        this.expected = expected;
        this.seen = new AtomicIntegerArray(expected);
        this.firstSeenAtNanos = new long[expected];
        String name = "webhook-sink-" + POOL_NUMBERS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.handlers = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = 0; i < accountIds.size(); i++) {
                endpoints.add(new Endpoint(i, accountIds.get(i)));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start a webhook sink on 127.0.0.1", e);
        }
    }

    int size() {
        return endpoints.size();
    }

    String url(int endpoint) {
        return "http://127.0.0.1:" + endpoints.get(endpoint).port + "/hook";
    }

    void publicKey(int endpoint, String publicKeyBase64) {
        endpoints.get(endpoint).publicKey = publicKeyBase64;
    }

    /**
     * Waits until every event of the round arrived at least once.
     *
     * @param stall fail when no new event arrived for this long (a failed POST is retried after
     *              30 s, doubling, so this must be longer than that)
     */
    void awaitAll(Duration stall, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        long lastProgress = started;
        int lastCount = 0;
        long lastReport = started;
        while (distinct.get() < expected) {
            long now = System.nanoTime();
            int count = distinct.get();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            }
            if (now - lastProgress > stall.toNanos() || now - started > timeout.toNanos()) {
                throw new IllegalStateException("only " + count + " of " + expected + " events arrived at the "
                        + endpoints.size() + " endpoint(s); none new for " + Duration.ofNanos(now - lastProgress).toSeconds()
                        + " s (" + batches.size() + " requests, " + duplicates.get() + " duplicates)");
            }
            if (now - lastReport > 5_000_000_000L) {
                System.out.printf("  ... %d of %d events received in %d requests%n", count, expected, batches.size());
                lastReport = now;
            }
            Thread.sleep(10); // a progress poll of a benchmark, not test synchronisation
        }
    }

    int distinct() {
        return distinct.get();
    }

    /** Indexes of this round's events that never arrived. */
    int missing() {
        return expected - distinct.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Events that were not of this round (another round's, or an id this benchmark did not make). */
    long foreign() {
        return foreign.get();
    }

    /** Events that arrived at an endpoint other than their account's. */
    long misrouted() {
        return misrouted.get();
    }

    /** Requests whose body was not a JSON array of event objects. */
    long malformed() {
        return malformed.get();
    }

    /** Requests without SendGrid's signature headers. */
    long unsigned() {
        return unsigned.get();
    }

    long verified() {
        return verified.get();
    }

    long badSignatures() {
        return badSignatures.get();
    }

    long firstReceivedAtNanos() {
        return firstReceivedAtNanos.get();
    }

    /** When the last event that had not arrived before arrived. */
    long lastNewAtNanos() {
        return lastNewAtNanos.get();
    }

    /** When each event first arrived ({@link System#nanoTime()}); complete once {@link #awaitAll} returned. */
    long[] firstSeenAtNanos() {
        return firstSeenAtNanos;
    }

    List<Batch> batches() {
        return List.copyOf(batches);
    }

    @Override
    public void close() {
        endpoints.forEach(endpoint -> endpoint.server.stop(0));
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Endpoint {

        final int index;
        final String accountId;
        final HttpServer server;
        final int port;
        final AtomicLong requests = new AtomicLong();
        volatile String publicKey;

        Endpoint(int index, String accountId) throws IOException {
            this.index = index;
            this.accountId = accountId;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 512);
            this.port = server.getAddress().getPort();
            server.setExecutor(handlers);
            server.createContext("/", this::handle);
            server.start();
        }

        private void handle(HttpExchange exchange) {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                long now = System.nanoTime();
                firstReceivedAtNanos.compareAndSet(0, now);
                count(body, now);
                String signature = exchange.getRequestHeaders().getFirst(SendGridSignature.SIGNATURE_HEADER);
                String timestamp = exchange.getRequestHeaders().getFirst(SendGridSignature.TIMESTAMP_HEADER);
                if (signature == null || timestamp == null) {
                    unsigned.incrementAndGet();
                } else if (requests.getAndIncrement() % VERIFY_EVERY == 0) {
                    String key = publicKey;
                    if (key != null && SendGridSignature.verify(key, body, signature, timestamp)) {
                        verified.incrementAndGet();
                    } else {
                        badSignatures.incrementAndGet();
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                // The service gave up on this request (its timeout): it will be sent again.
            } catch (RuntimeException e) {
                malformed.incrementAndGet();
                e.printStackTrace();
            }
        }

        /** Counts the events of one body: a JSON array of event objects. */
        private void count(byte[] body, long now) {
            int events = 0;
            int oldest = Integer.MAX_VALUE;
            try (JsonParser parser = JSON.createParser(body)) {
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    malformed.incrementAndGet();
                    return;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    String eventId = null;
                    String account = null;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (value == JsonToken.VALUE_STRING && "sg_event_id".equals(field)) {
                            eventId = parser.getText();
                        } else if (value == JsonToken.VALUE_STRING && "account_id".equals(field)) {
                            account = parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                    events++;
                    if (!accountId.equals(account)) {
                        misrouted.incrementAndGet();
                    }
                    int eventIndex = indexOf(eventId);
                    if (eventIndex < 0) {
                        foreign.incrementAndGet();
                    } else {
                        oldest = Math.min(oldest, eventIndex);
                        if (seen.getAndIncrement(eventIndex) == 0) {
                            firstSeenAtNanos[eventIndex] = now;
                            lastNewAtNanos.accumulateAndGet(now, Math::max);
                            distinct.incrementAndGet();
                        } else {
                            duplicates.incrementAndGet();
                        }
                    }
                }
            } catch (IOException e) {
                malformed.incrementAndGet();
            }
            batches.add(new Batch(index, now, events, body.length, oldest == Integer.MAX_VALUE ? -1 : oldest));
        }

        private int indexOf(String eventId) {
            if (eventId == null || !eventId.startsWith(idPrefix)) {
                return -1;
            }
            try {
                int eventIndex = Integer.parseInt(eventId, idPrefix.length(), eventId.length(), 10);
                return eventIndex >= 0 && eventIndex < expected ? eventIndex : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
