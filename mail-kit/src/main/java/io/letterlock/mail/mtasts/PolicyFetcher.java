package io.letterlock.mail.mtasts;

import io.letterlock.mail.dns.AddressLookup;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.HostAddresses;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.mtasts.PolicyFetch.FetchFailure;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.mail.tls.TrustAnchors;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fetches a domain's MTA-STS policy from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * (RFC 8461 §3.3), on Netty, without blocking a thread.
 *
 * <ul>
 * <li>The policy host's addresses come from the shared {@link DnsClient} (the resolver delivery is
 *     configured with, never the JVM's), and each is put to the {@link AddressCheck} before any
 *     connection: the domain's owner chooses that address.</li>
 * <li>The connection goes to the checked address; TLS sends the host name as SNI and verifies the
 *     certificate for it (PKIX to the trusted roots, plus the host name check the JDK does for
 *     HTTPS, RFC 2818 / RFC 6125): "the certificate presented by the policy host MUST be valid for
 *     the mta-sts host name" (RFC 8461 §3.3).</li>
 * <li>Only 200 counts; a redirect is not followed; the type must be {@code text/plain}; the body is
 *     counted as it arrives and abandoned past the size limit; the whole fetch has a deadline.
 *     HTTP caching is not used ({@code MUST NOT}, RFC 8461 §3.3): every fetch asks the server.</li>
 * <li>Addresses are tried in order (IPv4 first) while connecting fails; a server that answered,
 *     however badly, is the answer.</li>
 * </ul>
 */
public final class PolicyFetcher implements AutoCloseable {

    /** RFC 8461 §3.3. */
    public static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";
    /** RFC 8461 §3.3: the policy host is this label under the policy domain. */
    public static final String POLICY_HOST_LABEL = "mta-sts";

    private static final Logger LOG = Logger.getLogger(PolicyFetcher.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_BYTES = 8192;
    private static final int MAX_CHUNK_BYTES = 8192;

    private final AddressLookup addresses;
    private final AddressCheck addressCheck;
    private final PolicyFetchSettings settings;
    private final SslContext tls;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    /**
     * @param dns          the client every other lookup of the service uses
     * @param addressCheck which addresses of a policy host may be connected to
     * @param trusted      the roots a policy host's certificate must chain to: {@link #jvmTrustPlus}
     *                     in production
     */
    public PolicyFetcher(DnsClient dns, AddressCheck addressCheck, Set<X509Certificate> trusted,
                         PolicyFetchSettings settings) {
        this(dns, addressCheck, trusted, settings, Clock.systemUTC());
    }

    /**
     * @param clock the service's clock, by which a refused policy host's certificate is described
     *              (expired, not yet valid) as delivery describes an MX host's
     */
    public PolicyFetcher(DnsClient dns, AddressCheck addressCheck, Set<X509Certificate> trusted,
                         PolicyFetchSettings settings, Clock clock) {
        this.addresses = new AddressLookup(dns);
        this.addressCheck = addressCheck;
        this.settings = settings;
        this.tls = sslContext(trusted, clock);
        // One thread: a policy is fetched once per domain per refresh, not per message.
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("letterlock-mta-sts", true));
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
    }

    /** The JVM's trusted roots plus, if given, every certificate of a PEM file ({@code letterlock.trust-pem}). */
    public static Set<X509Certificate> jvmTrustPlus(Optional<Path> extraPem) {
        return TrustAnchors.jvmPlus(extraPem);
    }

    private static SslContext sslContext(Set<X509Certificate> trusted, Clock clock) {
        X509ExtendedTrustManager pkix = null;
        for (TrustManager manager : TrustAnchors.trustManagerFactory(trusted).getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                pkix = extended;
            }
        }
        if (pkix == null) {
            throw new IllegalStateException("the JDK made no PKIX trust manager");
        }
        try {
            // The JDK's TLS: its trust manager checks the host name when the engine asks for HTTPS
            // endpoint identification, and a fetch per domain and day needs no BoringSSL speed.
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(new CertificateDescribingTrustManager(pkix,
                            new CertificateVerifier(trusted, clock)))
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the MTA-STS policy fetcher's TLS context", e);
        }
    }

    /**
     * The policy of {@code domain}. Never completes exceptionally: every failure is a
     * {@link PolicyFetch.FetchFailed}. Completes on the fetcher's own thread: callbacks must not block.
     */
    public CompletableFuture<PolicyFetch> fetch(MailDomain domain) {
        long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        Name hostName;
        try {
            hostName = Name.concatenate(Name.fromString(POLICY_HOST_LABEL), domain.name());
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            return CompletableFuture.completedFuture(failed("no policy host name under " + domain + ": " + e.getMessage()));
        }
        String host = hostName.toString(true);
        return addresses.addressesOf(hostName)
                .thenCompose(found -> fromAddresses(host, found, deadline))
                .exceptionally(error -> {
                    LOG.errorf(error, "MTA-STS policy fetch for %s failed unexpectedly", domain);
                    return failed("fetch from " + host + " failed: " + error);
                });
    }

    private CompletableFuture<PolicyFetch> fromAddresses(String host, HostAddresses found, long deadline) {
        if (found.addresses().isEmpty()) {
            return CompletableFuture.completedFuture(failed(found.temporaryFailure()
                    .map(reason -> "no address for " + host + ": " + reason)
                    .orElse(host + " has no address")));
        }
        List<InetAddress> permitted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (InetAddress address : found.addresses()) {
            Optional<String> refusal = addressCheck.refusal(address);
            if (refusal.isPresent()) {
                refused.add(address.getHostAddress() + " (" + refusal.get() + ")");
            } else {
                permitted.add(address);
            }
        }
        if (permitted.isEmpty()) {
            return CompletableFuture.completedFuture(failed(
                    "every address of " + host + " is refused: " + String.join(", ", refused)));
        }
        return tryInOrder(host, permitted, 0, deadline);
    }

    private CompletableFuture<PolicyFetch> tryInOrder(String host, List<InetAddress> candidates, int index,
                                                      long deadline) {
        InetAddress address = candidates.get(index);
        return attempt(host, address, deadline).thenCompose(attempt -> {
            boolean more = index + 1 < candidates.size() && System.nanoTime() < deadline;
            if (!attempt.connected() && more) {
                LOG.debugf("MTA-STS: %s; trying the next address of %s", attempt.result(), host);
                return tryInOrder(host, candidates, index + 1, deadline);
            }
            return CompletableFuture.completedFuture(attempt.result());
        });
    }

    /** What one address gave, and whether a connection was made at all (if not, the next may do). */
    private record Attempt(PolicyFetch result, boolean connected) {
    }

    private CompletableFuture<Attempt> attempt(String host, InetAddress address, long deadline) {
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMillis <= 0) {
            return CompletableFuture.completedFuture(new Attempt(failed(
                    "no complete policy from " + host + " within " + settings.totalTimeout().toMillis() + " ms"), false));
        }
        int port = settings.port();
        CompletableFuture<PolicyFetch> result = new CompletableFuture<>();
        ChannelFuture connecting = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(settings.connectTimeout().toMillis(), remainingMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("tls", tlsFor(channel, host, port))
                                .addLast("http", new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                                .addLast("policy", new PolicyResponseHandler(result, host, settings.maxBodyBytes(),
                                        deadline, settings.totalTimeout()));
                    }
                })
                .connect(new InetSocketAddress(address, port));
        String where = host + "[" + address.getHostAddress() + "]:" + port;
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                connecting.channel().writeAndFlush(request(host, port));
            } else {
                result.complete(failed("cannot connect to " + where + ": " + done.cause().getMessage()));
            }
        });
        return result.thenApply(fetch -> new Attempt(fetch, connecting.isSuccess()));
    }

    /** TLS to the address, for the name: SNI and certificate verification both use {@code host}. */
    private SslHandler tlsFor(SocketChannel channel, String host, int port) {
        SslHandler handler = tls.newHandler(channel.alloc(), host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }

    private static FullHttpRequest request(String host, int port) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, WELL_KNOWN_PATH);
        request.headers()
                .set(HttpHeaderNames.HOST, port == PolicyFetchSettings.HTTPS_PORT ? host : host + ":" + port)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "Letterlock MTA-STS")
                .set(HttpHeaderNames.ACCEPT, "text/plain");
        return request;
    }

    private static PolicyFetch failed(String reason) {
        return new PolicyFetch.FetchFailed(FetchFailure.FETCH_ERROR, reason);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
