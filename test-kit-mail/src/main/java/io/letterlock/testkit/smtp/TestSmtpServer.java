package io.letterlock.testkit.smtp;

import io.letterlock.testkit.tls.ServerCertificate;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SMTP server on 127.0.0.1 and an ephemeral port, for testing a delivery client over real
 * sockets and real TLS: it offers STARTTLS (or refuses, or breaks it) with a chosen
 * {@link ServerCertificate}, answers with scripted failures, stalls when told to, and records
 * every command, whether it came before TLS, and every message it accepted.
 *
 * <p>One daemon thread per connection, at most {@link Builder#maxConnections} at once (more get
 * {@code 421} and are closed). Nothing can hang a test for long: reads time out
 * ({@link Builder#readTimeout}), and {@link #close()} closes every socket and ends every stall.
 *
 * <pre>{@code
 * try (TestSmtpServer mx = TestSmtpServer.builder()
 *         .startTls(ServerCertificate.valid(ca, "mx.example"))
 *         .dataReplyForFirst(2, ScriptedReply.TRY_AGAIN_LATER)
 *         .start()) {
 *     ... deliver to mx.host():mx.port() ...
 *     ReceivedMessage message = mx.awaitMessages(1, Duration.ofSeconds(10)).get(0);
 * }
 * }</pre>
 */
public final class TestSmtpServer implements AutoCloseable {

    /** Where a test server listens, unless told {@link Builder#listenOn another loopback address}. */
    public static final String HOST = "127.0.0.1";
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();

    private final ServerBehaviour behaviour;
    private final String host;
    private final ServerSocket serverSocket;
    private final ExecutorService conversations;
    private final Semaphore connectionSlots;
    private final Thread acceptor;
    private final ServerLog log = new ServerLog();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    private TestSmtpServer(ServerBehaviour behaviour, String host, int port) throws IOException {
        this.behaviour = behaviour;
        this.host = host;
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 50);
        String name = "test-smtp-" + SERVER_NUMBERS.incrementAndGet() + "-port-" + serverSocket.getLocalPort();
        AtomicInteger threadNumbers = new AtomicInteger();
        // Threads are bounded by the slots: a conversation takes one at accept and frees it as it ends.
        this.connectionSlots = new Semaphore(behaviour.maxConnections());
        this.conversations = Executors.newCachedThreadPool(
                runnable -> daemon(runnable, name + "-conversation-" + threadNumbers.incrementAndGet()));
        this.acceptor = daemon(this::acceptConnections, name + "-accept");
        acceptor.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code "127.0.0.1"}, or the address given to {@link Builder#listenOn}. */
    public String host() {
        return host;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** {@code "127.0.0.1:<port>"}. */
    public String hostAndPort() {
        return host + ":" + port();
    }

    /** A {@code LETTERLOCK_ROUTES} entry sending mail for {@code domain} here: {@code "domain=127.0.0.1:port"}. */
    public String routeFor(String domain) {
        return domain + "=" + hostAndPort();
    }

    /** The name the server greets with ({@code 220 <hostname> ESMTP}); not where it listens. */
    public String hostname() {
        return behaviour.hostname();
    }

    /** The messages accepted so far, in order of acceptance; a snapshot. */
    public List<ReceivedMessage> received() {
        return log.received();
    }

    /** Waits until at least {@code count} messages were accepted; returns them all. */
    public List<ReceivedMessage> awaitMessages(int count, Duration timeout) {
        awaitUntil(timeout, () -> log.receivedCount() >= count);
        return log.received();
    }

    /**
     * Every connection so far, oldest first, each a snapshot; connections refused for the
     * {@link Builder#maxConnections} limit are included, with no commands.
     */
    public List<ReceivedConnection> connections() {
        return log.connections();
    }

    /** Waits until at least {@code count} connections were accepted; returns them all. */
    public List<ReceivedConnection> awaitConnections(int count, Duration timeout) {
        awaitUntil(timeout, () -> log.connectionCount() >= count);
        return log.connections();
    }

    public int connectionCount() {
        return log.connectionCount();
    }

    /** Mail transactions started (accepted MAIL FROM) so far, across connections. */
    public int transactionCount() {
        return log.transactionCount();
    }

    /**
     * Stops accepting, closes every connection (a client mid-conversation sees the connection
     * drop) and ends every scripted stall. Waits briefly for conversation threads; never blocks long.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed.countDown();
        closeQuietly(serverSocket);
        openSockets.forEach(TestSmtpServer::closeQuietly);
        conversations.shutdownNow();
        try {
            conversations.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            acceptor.join(CLOSE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TestSmtpServer[" + behaviour.hostname() + " at " + host + ":" + port() + "]";
    }

    private void acceptConnections() {
        while (!closing.get()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            openSockets.add(socket);
            ConnectionLog connection = log.connectionOpened();
            if (!connectionSlots.tryAcquire()) {
                refuse(socket, connection);
                continue;
            }
            Runnable endOfConversation = () -> {
                openSockets.remove(socket);
                connectionSlots.release();
            };
            try {
                socket.setTcpNoDelay(true); // replies are already batched; do not wait for more
                socket.setSoTimeout((int) behaviour.readTimeout().toMillis());
                SmtpWire wire = new SmtpWire(socket);
                conversations.execute(
                        new ServerConversation(behaviour, log, connection, wire, closed, endOfConversation));
            } catch (IOException | RejectedExecutionException e) {
                // The socket failed at once, or close() shut the executor down meanwhile.
                connection.closed();
                endOfConversation.run();
                closeQuietly(socket);
            }
            if (closing.get()) {
                closeQuietly(socket); // close() may have run between accept and add
            }
        }
    }

    /** RFC 5321 §3.8: 421 and close when the server cannot take the connection now. */
    private void refuse(Socket socket, ConnectionLog connection) {
        try (OutputStream out = socket.getOutputStream()) {
            out.write(("421 4.3.2 " + behaviour.hostname() + " Too many connections\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // The client is gone already.
        } finally {
            connection.closed();
            openSockets.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void awaitUntil(Duration timeout, Callable<Boolean> condition) {
        Awaitility.await()
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(condition);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing is best effort; the socket is unusable either way.
        }
    }

    /**
     * How the server behaves. Defaults: greets as {@code mx.letterlock.test}; EHLO answered with
     * PIPELINING, 8BITMIME and ENHANCEDSTATUSCODES; no STARTTLS, no SMTPUTF8, no SIZE; every
     * recipient and message accepted; reads time out after 10 s; 32 connections at once.
     */
    public static final class Builder {

        private String hostname = "mx.letterlock.test";
        private StartTlsMode startTls = StartTlsMode.NOT_OFFERED;
        private ScriptedReply startTlsRefusal;
        private String startTlsInjection;
        private ServerCertificate certificate;
        private List<String> tlsProtocols = List.of();
        private ScriptedReply ehloRejection;
        private EndlessReply endlessEhloReply;
        private boolean pipelining = true;
        private boolean chunking = true;
        private boolean eightBitMime = true;
        private boolean smtpUtf8;
        private boolean requireTls;
        private long maxMessageSize;
        private ReplyScript rcptScript = ReplyScript.NONE;
        private ReplyScript dataScript = ReplyScript.NONE;
        private final Map<String, ScriptedReply> rejectedRecipients = new HashMap<>();
        private boolean stallBeforeGreeting;
        private boolean stallAfterData;
        private int silentAfterMessages;
        private Duration queueTime = Duration.ZERO;
        private Duration readTimeout = Duration.ofSeconds(10);
        private int maxConnections = 32;
        private String listenAddress = HOST;
        private int listenPort;

        private Builder() {
        }

        /**
         * Listen on this loopback address and port rather than {@code 127.0.0.1} and an ephemeral
         * port: for a second MX host, which a client reaches on the same SMTP port as the first
         * (e.g. {@code listenOn("127.0.0.2", first.port())}).
         */
        public Builder listenOn(String loopbackAddress, int port) {
            this.listenAddress = Objects.requireNonNull(loopbackAddress);
            this.listenPort = port;
            return this;
        }

        /** The name in the greeting and the EHLO reply, e.g. the MX host name under test. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname);
            return this;
        }

        /** Advertise STARTTLS and, on the command, do a real handshake presenting {@code certificate}. */
        public Builder startTls(ServerCertificate certificate) {
            this.startTls = StartTlsMode.OFFERED;
            this.certificate = Objects.requireNonNull(certificate);
            return this;
        }

        /**
         * Allow only these TLS versions in the STARTTLS handshake, e.g. {@code "TLSv1.2"} to see
         * whether a client insisting on 1.3 refuses. A version the JDK has disabled (TLSv1.1)
         * makes every handshake fail.
         */
        public Builder tlsProtocols(String... protocols) {
            this.tlsProtocols = List.of(protocols);
            return this;
        }

        /**
         * Advertise STARTTLS but answer it with {@code 454 4.7.0 TLS not available due to temporary
         * reason} (RFC 3207 §4): a refusal for now, as a server gives when its TLS is not ready.
         */
        public Builder startTlsRefused() {
            return startTlsRefused(ScriptedReply.TLS_NOT_AVAILABLE);
        }

        /** Advertise STARTTLS but answer it with {@code reply}, e.g. a 5xx refusal for good. */
        public Builder startTlsRefused(ScriptedReply reply) {
            if (reply.code() == 220) {
                throw new IllegalArgumentException("220 accepts STARTTLS: " + reply.line());
            }
            this.startTls = StartTlsMode.REFUSED;
            this.startTlsRefusal = reply;
            return this;
        }

        /**
         * Advertise STARTTLS, answer {@code 220 2.0.0 Ready to start TLS}, then close the socket:
         * the client's handshake fails (EOF / connection reset) and it has no TLS session.
         */
        public Builder startTlsHandshakeFails() {
            this.startTls = StartTlsMode.HANDSHAKE_FAILS;
            return this;
        }

        /**
         * Advertise STARTTLS and answer it with {@code 220 2.0.0 Ready to start TLS} followed, in
         * the same write, by {@code injected} (e.g. {@code "250 injected\r\n"}, or a continuation
         * line {@code "250-injected\r\n"} that a careless client glues to its first reply over
         * TLS); then do the handshake with {@code certificate} as normal. It is what a man in the
         * middle does to have its own reply read as if it came over TLS (RFC 3207 §6, the reply
         * side of CVE-2011-0411); a client must end the connection and never read those bytes.
         */
        public Builder startTlsWithInjection(ServerCertificate certificate, String injected) {
            if (injected.isEmpty()) {
                throw new IllegalArgumentException("nothing to inject");
            }
            this.startTls = StartTlsMode.INJECTS;
            this.certificate = Objects.requireNonNull(certificate);
            this.startTlsInjection = injected;
            return this;
        }

        /** Answer EHLO with {@code 502 5.5.1}, as a pre-ESMTP server would; HELO still works. */
        public Builder rejectEhlo() {
            return rejectEhlo(ScriptedReply.of(502, "5.5.1 Error: command not implemented"));
        }

        /** Answer EHLO with this reply (e.g. 500 or 502); HELO still works. */
        public Builder rejectEhlo(ScriptedReply reply) {
            this.ehloRejection = Objects.requireNonNull(reply);
            return this;
        }

        /**
         * Answer EHLO with a reply that never ends: {@code lines} continuation lines
         * ({@code "250-"} and {@code lineLength} characters each), {@code pause} apart (flushed
         * line by line when there is a pause, else as fast as the client reads), never the final
         * line; then silence until {@link #close()}. A hostile or broken server that would have a
         * client buffer without limit, or keep it waiting by trickling. When the client hangs up
         * the next write fails and the connection is logged closed.
         */
        public Builder endlessEhloReply(int lines, int lineLength, Duration pause) {
            this.endlessEhloReply = new EndlessReply(lines, lineLength, pause);
            return this;
        }

        /** Advertise PIPELINING (RFC 2920); on by default. */
        public Builder pipelining(boolean advertised) {
            this.pipelining = advertised;
            return this;
        }

        /**
         * Advertise CHUNKING (RFC 3030) and take message content with BDAT; on by default, as
         * Postfix, Exim, Exchange and Gmail announce it. Scripted DATA replies, stalls and size
         * limits apply to the last chunk as they do to DATA's content.
         */
        public Builder chunking(boolean advertised) {
            this.chunking = advertised;
            return this;
        }

        /** Advertise 8BITMIME (RFC 6152) and accept {@code BODY=}; on by default. */
        public Builder eightBitMime(boolean advertised) {
            this.eightBitMime = advertised;
            return this;
        }

        /** Advertise SMTPUTF8 (RFC 6531) and accept its parameter and UTF-8 addresses; off by default. */
        public Builder smtpUtf8(boolean advertised) {
            this.smtpUtf8 = advertised;
            return this;
        }

        /**
         * Advertise REQUIRETLS (RFC 8689) in the EHLO reply over TLS, never in cleartext, and accept
         * {@code MAIL FROM:<…> REQUIRETLS} there; off by default. A received message's
         * {@link ReceivedMessage#mailParameters()} show whether the client asked for it.
         */
        public Builder requireTls(boolean advertised) {
            this.requireTls = advertised;
            return this;
        }

        /**
         * Advertise {@code SIZE bytes} (RFC 1870) and enforce it: 552 at MAIL FROM when the
         * declared {@code SIZE=} is larger, and 552 after DATA when the content is. 0 (the
         * default) advertises no SIZE, and then a {@code SIZE=} parameter gets 555.
         */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative size: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Answer every RCPT in the server's first {@code transactions} mail transactions with
         * {@code reply}, then accept normally. Transactions are counted server-wide, across
         * connections, by accepted MAIL FROM.
         */
        public Builder rcptReplyForFirst(int transactions, ScriptedReply reply) {
            this.rcptScript = new ReplyScript(Objects.requireNonNull(reply), transactions);
            return this;
        }

        /** Answer every RCPT with {@code reply}, e.g. {@link ScriptedReply#NO_SUCH_USER}, for ever. */
        public Builder rejectRcpt(ScriptedReply reply) {
            return rcptReplyForFirst(Integer.MAX_VALUE, reply);
        }

        /** Answer RCPT for this one address (case-insensitive) with {@code reply}, always. */
        public Builder rejectRecipient(String address, ScriptedReply reply) {
            rejectedRecipients.put(address.toLowerCase(Locale.ROOT), Objects.requireNonNull(reply));
            return this;
        }

        /**
         * Answer the end of DATA (or the last BDAT chunk) with {@code reply} in the server's first {@code transactions}
         * transactions (counted as for {@link #rcptReplyForFirst}), then accept. A 4xx or 5xx
         * reply means the message is not recorded as received.
         */
        public Builder dataReplyForFirst(int transactions, ScriptedReply reply) {
            this.dataScript = new ReplyScript(Objects.requireNonNull(reply), transactions);
            return this;
        }

        /** Answer the end of every DATA (or last BDAT chunk) with {@code reply}, e.g. {@link ScriptedReply#MESSAGE_REJECTED}. */
        public Builder rejectData(ScriptedReply reply) {
            return dataReplyForFirst(Integer.MAX_VALUE, reply);
        }

        /** Accept connections but never send the greeting, until {@link #close()}. */
        public Builder stallBeforeGreeting() {
            this.stallBeforeGreeting = true;
            return this;
        }

        /** Read the whole message after DATA (or its last BDAT chunk), then never reply, until {@link #close()}. */
        public Builder stallAfterData() {
            this.stallAfterData = true;
            return this;
        }

        /**
         * How long the server takes to queue a message: it has the message (it is in
         * {@link #received()}) this long before the client hears 250. A client stopped in that
         * window does not know the message arrived.
         */
        public Builder queueTime(Duration time) {
            this.queueTime = time;
            return this;
        }

        /**
         * After accepting this many messages on a connection, read and answer nothing more on it
         * until {@link #close()}: a connection that a NAT box or firewall dropped while it was idle,
         * where the client's next command meets silence rather than a closed socket.
         */
        public Builder silentAfterMessages(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("at least one message: " + messages);
            }
            this.silentAfterMessages = messages;
            return this;
        }

        /** How long the server waits for a client's next line before {@code 421} and closing; 10 s by default. */
        public Builder readTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("read timeout must be positive: " + timeout);
            }
            this.readTimeout = timeout;
            return this;
        }

        /** Connections served at once; one more gets {@code 421 4.3.2} and is closed. 32 by default. */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("at least one connection: " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** Binds 127.0.0.1 on an ephemeral port (or what {@link #listenOn} says) and starts accepting. */
        public TestSmtpServer start() {
            ServerBehaviour behaviour = new ServerBehaviour(hostname, startTls, startTlsRefusal, startTlsInjection,
                    certificate, certificate == null ? null : HandshakeWitness.serverContext(certificate), tlsProtocols,
                    ehloRejection, endlessEhloReply, pipelining, chunking, eightBitMime, smtpUtf8, requireTls, maxMessageSize, rcptScript,
                    dataScript, rejectedRecipients, stallBeforeGreeting, stallAfterData, silentAfterMessages, queueTime,
                    readTimeout, maxConnections);
            try {
                return new TestSmtpServer(behaviour, listenAddress, listenPort);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a test SMTP server on " + listenAddress + ":" + listenPort, e);
            }
        }
    }
}
