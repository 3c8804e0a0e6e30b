package io.letterlock.testkit.webhook;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 and an ephemeral port that plays a webhook subscriber, for
 * testing a service that POSTs signed event batches: it records every request byte for byte (so a
 * test can check the signature over the exact body), answers with scripted statuses, a
 * {@code Retry-After}, a redirect or a delay, and lets the test wait for what arrived.
 *
 * <p>Every request is served on its own daemon thread, so concurrent deliveries really are
 * concurrent (a delay holds one request, not the queue behind it). Nothing can hang a test for
 * long: {@link #close()} stops the server at once, drops open connections and ends every delay.
 *
 * <pre>{@code
 * try (TestWebhookReceiver subscriber = TestWebhookReceiver.builder()
 *         .respondSequence(503, 500)      // two failures, then 200
 *         .retryAfter("1")
 *         .start()) {
 *     ... subscribe subscriber.url() and send mail ...
 *     ReceivedRequest delivered = subscriber.awaitRequests(3, Duration.ofSeconds(10)).get(2);
 *     assertThat(SendGridSignature.verify(publicKey, delivered)).isTrue();
 * }
 * }</pre>
 */
public final class TestWebhookReceiver implements AutoCloseable {

    /** Where every receiver listens. */
    public static final String HOST = "127.0.0.1";
    /** The path of {@link #url()}; the receiver answers on every path. */
    public static final String DEFAULT_PATH = "/hook";
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final AtomicInteger RECEIVER_NUMBERS = new AtomicInteger();

    private final Script script;
    private final HttpServer server;
    private final int port; // kept: a stopped HttpServer no longer knows its address
    private final ExecutorService handlers;
    private final Object lock = new Object();
    private final List<ReceivedRequest> requests = new ArrayList<>(); // guarded by lock
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    private TestWebhookReceiver(Script script, int port) throws IOException {
        this.script = script;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(HOST), port);
        if (script.tlsContext() == null) {
            this.server = HttpServer.create(address, 50);
        } else {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(script.tlsContext()));
            this.server = https;
        }
        this.port = server.getAddress().getPort();
        String name = "test-webhook-" + RECEIVER_NUMBERS.incrementAndGet() + "-port-" + port();
        AtomicInteger threadNumbers = new AtomicInteger();
        // Unbounded on purpose: a delayed request must not keep the next one waiting for a thread.
        this.handlers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name + "-handler-" + threadNumbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/hook}: the URL to subscribe. */
    public String url() {
        return url(DEFAULT_PATH);
    }

    /** {@code http://127.0.0.1:<port><path>}; {@code path} starts with {@code /} and may carry a query. */
    public String url(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        return (script.tlsContext() == null ? "http://" : "https://") + HOST + ":" + port() + path;
    }

    /** The requests received so far, in order of arrival; a snapshot. */
    public List<ReceivedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    public int requestCount() {
        synchronized (lock) {
            return requests.size();
        }
    }

    /**
     * Requests being handled right now: arrived but not yet answered, typically held by
     * {@link Builder#delay}. Lets a test see that deliveries overlap, and that {@link #close()}
     * let go of every one.
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits, without polling, until at least {@code count} requests have arrived; returns them all.
     *
     * @throws AssertionError if they did not arrive within {@code timeout}, or the receiver was
     *                        closed first (no more can arrive then); the message lists what did
     */
    public List<ReceivedRequest> awaitRequests(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (requests.size() < count) {
                if (closing.get()) {
                    throw new AssertionError("expected at least " + count + " webhook requests at " + url()
                            + ", but the receiver was closed after " + requests.size() + ": " + requests);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("expected at least " + count + " webhook requests at " + url()
                            + " within " + timeout + ", received " + requests.size() + ": " + requests);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + count + " webhook requests", e);
                }
            }
            return List.copyOf(requests);
        }
    }

    /**
     * Stops the server at once: the port is released, open connections are dropped (a client
     * waiting on a delayed answer sees the connection end, not a response), every delay ends and
     * waiters in {@link #awaitRequests} fail. Waits briefly for handler threads; never blocks long.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed.countDown();
        synchronized (lock) {
            lock.notifyAll();
        }
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TestWebhookReceiver[" + url() + ", " + requestCount() + " requests]";
    }

    private void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI target = exchange.getRequestURI();
            String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            int status;
            synchronized (lock) {
                // Numbered and recorded in one step, so the n-th recorded request got the n-th status.
                status = script.statusFor(requests.size());
                requests.add(new ReceivedRequest(exchange.getRequestMethod(), path, exchange.getRequestHeaders(),
                        body, Instant.now(), status));
                lock.notifyAll();
            }
            if (!script.delay().isZero()
                    && closed.await(script.delay().toNanos(), TimeUnit.NANOSECONDS)) {
                return; // closed meanwhile: no answer, the connection is dropped
            }
            Headers answer = exchange.getResponseHeaders();
            if (script.location() != null) {
                answer.set("Location", script.location());
            }
            if (script.retryAfter() != null && (status < 200 || status > 299)) {
                answer.set("Retry-After", script.retryAfter());
            }
            exchange.sendResponseHeaders(status, -1); // -1: no body
        } catch (IOException e) {
            // The client hung up (e.g. its timeout) or close() dropped the connection.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() shut the handlers down
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    /** What the receiver answers; immutable once started. */
    private record Script(int defaultStatus, List<Integer> sequence, String retryAfter, Duration delay,
                          String location, SSLContext tlsContext) {

        int statusFor(int index) {
            return index < sequence.size() ? sequence.get(index) : defaultStatus;
        }
    }

    /**
     * How the receiver answers. Defaults: every request gets {@code 200} with an empty body, at
     * once, without {@code Retry-After}.
     */
    public static final class Builder {

        private Integer status;
        private List<Integer> sequence = List.of();
        private String retryAfter;
        private Duration delay = Duration.ZERO;
        private String location;
        private SSLContext tlsContext;
        private int port;

        private Builder() {
        }

        /**
         * Listen on this port instead of an ephemeral one: a subscriber that was down (a closed
         * receiver refuses connections) comes back at the URL the sender still has, e.g.
         * {@code builder().port(old.port()).start()} after {@code old.close()}.
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Serve HTTPS with this server context, e.g. the {@code sslContext()} of a test-kit-mail
         * {@code ServerCertificate} (valid, expired, wrong name, self-signed…), so a sender's
         * certificate checks meet a real handshake. {@link #url()} then starts with {@code https://}.
         */
        public Builder tls(SSLContext serverContext) {
            this.tlsContext = Objects.requireNonNull(serverContext);
            return this;
        }

        /**
         * Answer every request with {@code status} (200–599), e.g. 500 for a subscriber that is
         * down; with {@link #respondSequence}, every request after the sequence.
         */
        public Builder respond(int status) {
            this.status = checkStatus(status);
            return this;
        }

        /**
         * Answer the n-th request (counted from the first, across connections) with the n-th
         * status, then 200 (or the {@link #respond} status): e.g. {@code respondSequence(503, 500)}
         * to see a sender retry twice and succeed on the third attempt.
         */
        public Builder respondSequence(int... statuses) {
            List<Integer> checked = new ArrayList<>(statuses.length);
            for (int status : statuses) {
                checked.add(checkStatus(status));
            }
            this.sequence = List.copyOf(checked);
            return this;
        }

        /**
         * Add {@code Retry-After: headerValue} to every answer that is not 2xx; seconds
         * ({@code "120"}) or an HTTP date, as RFC 9110 §10.2.3 allows, to see whether a sender
         * honours it.
         */
        public Builder retryAfter(String headerValue) {
            this.retryAfter = Objects.requireNonNull(headerValue);
            return this;
        }

        /**
         * Hold every request this long after reading it (it is already in {@link #requests()})
         * before answering: a slow subscriber, to make the sender's timeout fire.
         * {@link #close()} ends the wait and answers nothing.
         */
        public Builder delay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay: " + delay);
            }
            this.delay = delay;
            return this;
        }

        /**
         * Answer every request with {@code 302 Found} and {@code Location: location}, to check that a
         * sender does not follow redirects (a webhook URL that redirects elsewhere must not carry
         * signed events there). Point it at a second receiver and assert that one stays empty.
         * Cannot be combined with {@link #respond} or {@link #respondSequence}.
         */
        public Builder redirectTo(String location) {
            this.location = Objects.requireNonNull(location);
            return this;
        }

        /** Binds 127.0.0.1 on an ephemeral port (or {@link #port}) and starts answering. */
        public TestWebhookReceiver start() {
            if (location != null && (status != null || !sequence.isEmpty())) {
                throw new IllegalStateException("redirectTo answers every request with 302;"
                        + " do not combine it with respond or respondSequence");
            }
            int defaultStatus = location != null ? 302 : status != null ? status : 200;
            Script script = new Script(defaultStatus, sequence, retryAfter, delay, location, tlsContext);
            try {
                return new TestWebhookReceiver(script, port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a test webhook receiver on " + HOST, e);
            }
        }

        /** 1xx are not final answers, and the JDK server cannot send them as such. */
        private static int checkStatus(int status) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status must be 200-599: " + status);
            }
            return status;
        }
    }
}
