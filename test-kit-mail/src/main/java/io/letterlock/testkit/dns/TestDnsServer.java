package io.letterlock.testkit.dns;

import io.letterlock.testkit.dns.TestZone.Misbehaviour;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny authoritative DNS server for tests: UDP and TCP on 127.0.0.1, one ephemeral port for
 * both (as a resolver expects when it retries a truncated UDP answer over TCP, RFC 7766 §5).
 * Tests say what each name answers; everything else is NXDOMAIN.
 *
 * <pre>{@code
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.mx("example.com", 10, "mx1.example.com", 300).a("mx1.example.com", "127.0.0.1", 300);
 *     // point the resolver under test at dns.hostAndPort()
 *     assertThat(dns.queryCount("example.com", Type.MX)).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Negative answers (NXDOMAIN, NODATA) carry an SOA in the authority section whose TTL and
 * MINIMUM are {@link #negativeTtl(long)} (300 s unless set), so resolvers can cache them per
 * RFC 2308. Threads are daemons and every socket closes on {@link #close()}: a test never hangs on it.
 */
public final class TestDnsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TestDnsServer.class.getName());
    // RFC 1035 §4.2.1: without EDNS a UDP answer holds at most 512 bytes; the rest is truncated (TC).
    private static final int PLAIN_UDP_LIMIT = 512;
    private static final int EDNS_PAYLOAD = 1232;
    // A test that forgets a TCP connection must not leave a thread reading forever.
    private static final int TCP_IDLE_MILLIS = 10_000;
    private static final int BIND_ATTEMPTS = 20;
    private static final int CLOSE_WAIT_MILLIS = 1_000;

    private final TestZone zone = new TestZone();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private Thread udpThread;
    private Thread tcpThread;
    private volatile boolean closed;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Binds UDP and TCP on 127.0.0.1 to one free port and starts answering. */
    public static TestDnsServer start() {
        TestDnsServer server = bind();
        server.udpThread = server.daemon("test-dns-udp-" + server.port(), server::serveUdp);
        server.tcpThread = server.daemon("test-dns-tcp-" + server.port(), server::acceptTcp);
        server.udpThread.start();
        server.tcpThread.start();
        return server;
    }

    private static TestDnsServer bind() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        IOException last = null;
        // The OS hands out a free TCP port; the same UDP port is usually free too, but not always.
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            ServerSocket tcp = null;
            try {
                tcp = new ServerSocket(0, 50, loopback);
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()));
                return new TestDnsServer(udp, tcp);
            } catch (IOException e) {
                last = e;
                closeQuietly(tcp);
            }
        }
        throw new UncheckedIOException("no port free for both UDP and TCP on " + loopback, last);
    }

    /** Where the server listens (127.0.0.1 and its port). */
    public InetSocketAddress address() {
        return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    public int port() {
        return tcp.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, the form {@code letterlock.dns.resolver} takes. */
    public String hostAndPort() {
        return tcp.getInetAddress().getHostAddress() + ":" + port();
    }

    // ---- answers ----

    /** Adds an MX record: {@code domain} mails to {@code exchange} at {@code preference}. */
    public TestDnsServer mx(String domain, int preference, String exchange, long ttlSeconds) {
        zone.add(new MXRecord(name(domain), DClass.IN, ttlSeconds, preference, name(exchange)));
        return this;
    }

    /** RFC 7505 null MX: {@code domain MX 0 .}, the domain accepts no mail. */
    public TestDnsServer nullMx(String domain, long ttlSeconds) {
        zone.add(new MXRecord(name(domain), DClass.IN, ttlSeconds, 0, Name.root));
        return this;
    }

    /** Adds an A record; {@code ipv4} must be a dotted quad. */
    public TestDnsServer a(String host, String ipv4, long ttlSeconds) {
        zone.add(new ARecord(name(host), DClass.IN, ttlSeconds, literal(ipv4, Address.IPv4)));
        return this;
    }

    /** Adds an AAAA record; {@code ipv6} must be an IPv6 literal. */
    public TestDnsServer aaaa(String host, String ipv6, long ttlSeconds) {
        zone.add(new AAAARecord(name(host), DClass.IN, ttlSeconds, literal(ipv6, Address.IPv6)));
        return this;
    }

    /**
     * Adds a TXT record of one or more character-strings (RFC 1035 §3.3.14), each at most 255
     * bytes; readers concatenate them. Several calls for one name make several TXT records, as
     * domains that publish SPF, verification tokens and MTA-STS side by side have.
     */
    public TestDnsServer txt(String name, long ttlSeconds, String... strings) {
        if (strings.length == 0) {
            throw new IllegalArgumentException("a TXT record holds at least one string");
        }
        zone.add(new TXTRecord(name(name), DClass.IN, ttlSeconds, List.of(strings)));
        return this;
    }

    /**
     * Makes {@code alias} a CNAME for {@code target}. Answers for the alias carry the CNAME and then
     * what the target answers, as a recursive resolver's would.
     */
    public TestDnsServer cname(String alias, String target, long ttlSeconds) {
        zone.add(new CNAMERecord(name(alias), DClass.IN, ttlSeconds, name(target)));
        return this;
    }

    /**
     * Makes {@code name} exist without records, so every query for it answers NODATA. (A name with
     * records already answers NODATA for the types it has none of.)
     */
    public TestDnsServer noData(String name) {
        zone.markExisting(name(name));
        return this;
    }

    /** NXDOMAIN for every type of {@code name}, even if it has records. Unknown names get it anyway. */
    public TestDnsServer nxDomain(String name) {
        zone.misbehave(name(name), Misbehaviour.NXDOMAIN);
        return this;
    }

    /** SERVFAIL for every type of {@code name}, as a resolver that could not reach its servers says. */
    public TestDnsServer servFail(String name) {
        zone.misbehave(name(name), Misbehaviour.SERVFAIL);
        return this;
    }

    /** SERVFAIL for one type ({@link org.xbill.DNS.Type} constant) of {@code name}. */
    public TestDnsServer servFail(String name, int type) {
        zone.misbehave(name(name), type, Misbehaviour.SERVFAIL);
        return this;
    }

    /** No answer at all for {@code name}: the client's query times out. */
    public TestDnsServer noAnswer(String name) {
        zone.misbehave(name(name), Misbehaviour.NO_ANSWER);
        return this;
    }

    /** No answer at all for one type ({@link org.xbill.DNS.Type} constant) of {@code name}. */
    public TestDnsServer noAnswer(String name, int type) {
        zone.misbehave(name(name), type, Misbehaviour.NO_ANSWER);
        return this;
    }

    /**
     * Serves a DNSSEC-signed zone: questions at or below its origin are answered from it, signed
     * (see {@link SignedZone}), except below its delegations to unsigned zones, which are answered
     * from this server's plain records. Serving another zone with the same origin replaces it.
     */
    public TestDnsServer serve(SignedZone signedZone) {
        zone.serve(signedZone);
        return this;
    }

    /** TTL and MINIMUM of the SOA sent with negative answers (RFC 2308 §5); 300 s unless set. */
    public TestDnsServer negativeTtl(long seconds) {
        zone.negativeTtl(seconds);
        return this;
    }

    /** Forgets every record and misbehaviour of {@code name}; it is NXDOMAIN again. */
    public TestDnsServer remove(String name) {
        zone.forget(name(name));
        return this;
    }

    // ---- what was asked ----

    /** Queries received for {@code name} and {@code type} ({@link org.xbill.DNS.Type} constant). */
    public int queryCount(String name, int type) {
        return zone.queryCount(name(name), type);
    }

    /** Queries received in total. */
    public int queryCount() {
        return zone.queryCount();
    }

    public void resetQueryCounts() {
        zone.resetQueryCounts();
    }

    /** Stops answering and releases the port (waiting at most a second for the threads to end). */
    @Override
    public void close() {
        closed = true;
        udp.close();
        closeQuietly(tcp);
        connections.forEach(TestDnsServer::closeQuietly);
        // The JDK releases a socket that a thread is blocked on only when that thread returns.
        awaitEnd(udpThread);
        awaitEnd(tcpThread);
    }

    private static void awaitEnd(Thread thread) {
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- serving ----

    private void serveUdp() {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Optional<byte[]> reply = reply(Arrays.copyOf(packet.getData(), packet.getLength()), false);
                if (reply.isPresent()) {
                    udp.send(new DatagramPacket(reply.get(), reply.get().length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "test DNS server: UDP packet dropped", e);
                }
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket connection = tcp.accept();
                connections.add(connection);
                daemon("test-dns-tcp-conn-" + port(), () -> serveTcp(connection)).start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "test DNS server: TCP accept failed", e);
                }
            }
        }
    }

    /** RFC 1035 §4.2.2: each message on TCP is preceded by its two-byte length. */
    private void serveTcp(Socket connection) {
        try (connection;
             DataInputStream in = new DataInputStream(connection.getInputStream());
             DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
            connection.setSoTimeout(TCP_IDLE_MILLIS);
            while (!closed) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                Optional<byte[]> reply = reply(query, true);
                if (reply.isPresent()) {
                    out.writeShort(reply.get().length);
                    out.write(reply.get());
                    out.flush();
                }
            }
        } catch (EOFException | SocketException e) {
            // The client closed, or close() did.
        } catch (IOException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "test DNS server: TCP connection failed", e);
            }
        } finally {
            connections.remove(connection);
        }
    }

    private Optional<byte[]> reply(byte[] wire, boolean overTcp) throws IOException {
        Message query = new Message(wire);
        Optional<Message> response = zone.answer(query);
        if (response.isEmpty()) {
            return Optional.empty();
        }
        OPTRecord clientOpt = query.getOPT();
        if (clientOpt != null) {
            // RFC 6891 §6.1.1: answer EDNS with EDNS; RFC 3225 §3: and copy the DO bit.
            response.get().addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0, clientOpt.getFlags() & ExtendedFlags.DO),
                    Section.ADDITIONAL);
        }
        if (overTcp) {
            return Optional.of(response.get().toWire());
        }
        int limit = clientOpt == null ? PLAIN_UDP_LIMIT : Math.max(PLAIN_UDP_LIMIT, clientOpt.getPayloadSize());
        // Sets TC when it has to leave records out, so the client retries over TCP.
        return Optional.of(response.get().toWire(limit));
    }

    private Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    private static InetAddress literal(String ip, int family) {
        try {
            return Address.getByAddress(ip, family);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv" + (family == Address.IPv4 ? 4 : 6)
                    + " address: " + ip, e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing on the way out; nothing left to do with the error.
        }
    }
}
