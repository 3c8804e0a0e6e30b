package io.letterlock.testkit.http;

import io.letterlock.testkit.tls.ServerCertificate;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTPS server on 127.0.0.1 and an ephemeral port, presenting a test certificate, that
 * answers each path as the test scripts it and records what it was asked (including the SNI name).
 * For testing clients that fetch over HTTPS and must cope with bad servers: redirects, wrong
 * content types, oversized or endless bodies, servers that trickle bytes, certificates of every
 * kind ({@link io.letterlock.testkit.tls.CertificateKind}).
 *
 * <pre>{@code
 * try (TestHttpsServer server = TestHttpsServer.start(ServerCertificate.valid(ca, "mta-sts.example.com"))) {
 *     server.respond("/.well-known/mta-sts.txt", HttpReply.ok("text/plain", "version: STSv1\n..."));
 *     // point the client at 127.0.0.1:server.port()
 *     assertThat(server.requests()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>One request per connection (every reply says {@code Connection: close}); unscripted paths get
 * 404. Each connection has its own daemon thread, and {@link #close()} ends every one at once,
 * trickling and endless replies included: a test never hangs on the server.
 */
public final class TestHttpsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TestHttpsServer.class.getName());
    private static final int MAX_REQUEST_HEAD = 16 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    // A client that connects and says nothing must not hold a thread for long.
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final int CLOSE_WAIT_MILLIS = 1_000;
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();

    private final ServerSocket socket;
    private final SSLSocketFactory tls;
    private final Map<String, HttpReply> replies = new ConcurrentHashMap<>();
    private final List<ReceivedHttpRequest> requests = new ArrayList<>(); // guarded by itself
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread acceptor;

    private TestHttpsServer(ServerSocket socket, SSLSocketFactory tls) {
        this.socket = socket;
        this.tls = tls;
        this.acceptor = daemon("test-https-" + SERVER_NUMBERS.incrementAndGet() + "-port-" + port(), this::accept);
    }

    /** Listens on 127.0.0.1 and a free port, presenting {@code certificate} to every client. */
    public static TestHttpsServer start(ServerCertificate certificate) {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TestHttpsServer server = new TestHttpsServer(socket, certificate.sslContext().getSocketFactory());
            server.acceptor.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + InetAddress.getLoopbackAddress(), e);
        }
    }

    /** Answers requests for {@code path} (the request target, query included) with {@code reply}. */
    public TestHttpsServer respond(String path, HttpReply reply) {
        replies.put(path, reply);
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(socket.getInetAddress(), port());
    }

    /** Every request read so far, oldest first. */
    public List<ReceivedHttpRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests read so far for this path. */
    public long requestCount(String path) {
        return requests().stream().filter(request -> request.target().equals(path)).count();
    }

    /** Connections open now (a client that gave up on a reply has closed its own). */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        closed.countDown();
        closeQuietly(socket);
        connections.forEach(TestHttpsServer::closeQuietly);
        try {
            acceptor.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void accept() {
        while (!isClosed()) {
            try {
                // TLS over a plain socket, so that close() can cut the TCP connection under a thread
                // blocked writing TLS records (closing an SSLSocket would wait for that thread).
                Socket connection = socket.accept();
                connections.add(connection);
                daemon("test-https-conn-" + port(), () -> serve(connection)).start();
            } catch (IOException e) {
                if (!isClosed()) {
                    LOG.log(Level.WARNING, "test HTTPS server: accept failed", e);
                }
            }
        }
    }

    private void serve(Socket plain) {
        // The factory's form for servers: the socket answers the handshake as the server side.
        try (plain; SSLSocket connection = (SSLSocket) tls.createSocket(plain, null, true)) {
            plain.setSoTimeout(READ_TIMEOUT_MILLIS);
            connection.startHandshake();
            Optional<ReceivedHttpRequest> request = readRequest(connection.getInputStream(),
                    serverName(connection.getSession()));
            if (request.isEmpty()) {
                return;
            }
            synchronized (requests) {
                requests.add(request.get());
            }
            HttpReply reply = replies.getOrDefault(request.get().target(), HttpReply.status(404, "Not Found"));
            write(reply, connection.getOutputStream());
        } catch (IOException e) {
            // A client that refused the certificate, gave up or closed early: what tests provoke.
            LOG.log(Level.DEBUG, "test HTTPS server: connection ended: " + e);
        } finally {
            connections.remove(plain);
        }
    }

    private static Optional<String> serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName());
                }
            }
        }
        return Optional.empty();
    }

    /** The request line, headers (RFC 9112 §2.1) and a body of the Content-Length given (at most {@value #MAX_BODY} bytes). */
    private static Optional<ReceivedHttpRequest> readRequest(InputStream in, Optional<String> serverName)
            throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                break;
            }
            if (n > MAX_REQUEST_HEAD) {
                throw new IOException("request head longer than " + MAX_REQUEST_HEAD + " bytes");
            }
        }
        List<String> lines = Arrays.asList(head.toString(StandardCharsets.ISO_8859_1).split("\r\n"));
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        String[] requestLine = lines.get(0).split(" ");
        if (requestLine.length != 3) {
            throw new IOException("not a request line: " + lines.get(0));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
            }
        }
        byte[] body = new byte[0];
        Optional<String> length = headers.stream().filter(header -> header.getKey().equalsIgnoreCase("Content-Length"))
                .map(Map.Entry::getValue).findFirst();
        if (length.isPresent()) {
            int size = Integer.parseInt(length.get());
            if (size < 0 || size > MAX_BODY) {
                throw new IOException("request body of " + size + " bytes, more than the test server reads");
            }
            body = in.readNBytes(size);
        }
        return Optional.of(new ReceivedHttpRequest(requestLine[0], requestLine[1], headers, serverName, body));
    }

    private void write(HttpReply reply, OutputStream out) throws IOException {
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ").append(reply.statusCode()).append(' ').append(reply.reason()).append("\r\n");
        for (Map.Entry<String, String> header : reply.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        switch (reply.framing()) {
            case CONTENT_LENGTH -> head.append("Content-Length: ").append(reply.body().length).append("\r\n");
            case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
            case CLOSE_DELIMITED -> { }
        }
        head.append("Connection: close\r\n\r\n");
        Paced paced = new Paced(out, reply.byteInterval());
        paced.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (reply.endless()) {
            byte[] filler = new byte[HttpReply.chunkSize()];
            Arrays.fill(filler, (byte) 'x');
            while (!isClosed()) {
                paced.write(filler);
            }
            return;
        }
        if (reply.framing() == HttpReply.Framing.CHUNKED) {
            byte[] body = reply.body();
            for (int start = 0; start < body.length; start += HttpReply.chunkSize()) {
                int length = Math.min(HttpReply.chunkSize(), body.length - start);
                paced.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                paced.write(Arrays.copyOfRange(body, start, start + length));
                paced.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            paced.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            paced.write(reply.body());
        }
        out.flush();
    }

    /** Writes at once, or a byte at a time with a pause between, ending early when the server closes. */
    private final class Paced {
        private final OutputStream out;
        private final Optional<Duration> interval;

        Paced(OutputStream out, Optional<Duration> interval) {
            this.out = out;
            this.interval = interval;
        }

        void write(byte[] bytes) throws IOException {
            if (interval.isEmpty()) {
                out.write(bytes);
                return;
            }
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                if (pause()) {
                    throw new IOException("server closed");
                }
            }
        }

        /** True when the server closed during the pause. */
        private boolean pause() {
            try {
                return closed.await(interval.get().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
