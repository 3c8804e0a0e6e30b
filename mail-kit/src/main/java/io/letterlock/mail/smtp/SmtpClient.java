package io.letterlock.mail.smtp;

import io.letterlock.mail.RootCause;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.mail.tls.TlsDecision;
import io.letterlock.mail.tls.TlsPolicyDecisions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Opens SMTP sessions under a sender's TLS policy, on Netty: no thread per connection, every wait
 * bounded by {@link SmtpTimeouts}. The TLS handshake accepts any certificate so that the verdict is
 * known for every connection; {@link CertificateVerifier} judges it afterwards and
 * {@link TlsPolicyDecisions} decides whether the message may go.
 */
public final class SmtpClient implements AutoCloseable {

    private static final List<TlsVersion> NEWEST_FIRST = List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2,
            TlsVersion.TLS_1_1);

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final SmtpTimeouts timeouts;
    private final CertificateVerifier verifier;
    private final ChainJudge judge;
    private final String heloName;
    /** One context per minimum version; reusing a context lets the JDK resume TLS sessions per host. */
    private final Map<TlsVersion, SslContext> sslContexts = new EnumMap<>(TlsVersion.class);
    private final SslProvider provider;
    /** Contexts that offer exactly one version, for the TLS check's "which versions are accepted". */
    private final Map<TlsVersion, SslContext> exactVersionContexts = new ConcurrentHashMap<>();

    /** With BoringSSL when its native library loads, else the JDK's TLS. */
    public SmtpClient(SmtpTimeouts timeouts, CertificateVerifier verifier, String heloName, int ioThreads) {
        this(timeouts, verifier, heloName, ioThreads, preferredProvider());
    }

    /**
     * @param provider whose TLS implementation the STARTTLS handshakes use: {@link SslProvider#OPENSSL}
     *                 (BoringSSL, several times less CPU per handshake and record) or {@link SslProvider#JDK}
     */
    public SmtpClient(SmtpTimeouts timeouts, CertificateVerifier verifier, String heloName, int ioThreads,
                      SslProvider provider) {
        this.timeouts = timeouts;
        this.verifier = verifier;
        this.judge = new ChainJudge(verifier);
        this.heloName = heloName;
        this.group = new NioEventLoopGroup(ioThreads);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeouts.connect().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SmtpConnection.attach(channel, timeouts.greeting());
                    }
                });
        for (TlsVersion min : TlsVersion.values()) {
            sslContexts.put(min, sslContext(min, provider));
        }
        this.provider = provider;
    }

    /** BoringSSL when Netty can load it on this platform, else the JDK's TLS. */
    public static SslProvider preferredProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Whose TLS the handshakes use. */
    public SslProvider provider() {
        return provider;
    }

    private static SslContext sslContext(TlsVersion min, SslProvider provider) {
        List<String> protocols = new ArrayList<>();
        for (TlsVersion version : NEWEST_FIRST) {
            if (version.compareTo(min) >= 0) {
                protocols.add(version.protocolName());
            }
        }
        return sslContext(protocols, provider);
    }

    private static SslContext sslContext(List<String> protocols, SslProvider provider) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .protocols(protocols)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }

    /**
     * Connects to one address of an MX host and negotiates TLS as the policy says.
     *
     * @param mxHost the MX host name: the name the certificate must carry
     * @return fails exceptionally with {@link SmtpProtocolException} when the server cannot be
     * reached or stalls; the caller tries the next address or defers
     */
    public CompletableFuture<SessionOutcome> open(String mxHost, InetSocketAddress address, EffectiveTlsPolicy policy,
                                                  boolean cleartextAfterFailedHandshake) {
        return open(mxHost, address, HostTlsPolicy.senderOnly(policy), cleartextAfterFailedHandshake);
    }

    /**
     * Connects to one address of an MX host and negotiates TLS as the sender's and the receiving
     * domain's policies together say ({@link HostTlsPolicy}): with DANE's usable TLSA records the
     * certificate is judged by them, otherwise by PKIX against {@code mxHost}.
     */
    public CompletableFuture<SessionOutcome> open(String mxHost, InetSocketAddress address, HostTlsPolicy host,
                                                  boolean cleartextAfterFailedHandshake) {
        return open(mxHost, address, host, cleartextAfterFailedHandshake, greeted -> { });
    }

    /**
     * As {@link #open(String, InetSocketAddress, HostTlsPolicy, boolean)}, telling {@code greeted}
     * where the connection runs once the server greeted (before EHLO): a session TLS-RPT counts,
     * whatever its outcome.
     */
    public CompletableFuture<SessionOutcome> open(String mxHost, InetSocketAddress address, HostTlsPolicy host,
                                                  boolean cleartextAfterFailedHandshake,
                                                  Consumer<SessionEndpoints> greeted) {
        return connect(address).thenCompose(connection -> connection.greeting()
                .thenCompose(greeting -> {
                    if (greeting.code() == 220) {
                        SessionEndpoints.of(connection, greeting).ifPresent(greeted);
                    }
                    if (greeting.code() != 220) {
                        // RFC 5321 §3.1: 554 means no service here; the next MX may serve.
                        connection.close();
                        throw new SmtpProtocolException("greeting was " + greeting.summary());
                    }
                    return ehlo(connection);
                })
                .thenCompose(capabilities -> negotiate(connection, mxHost, address, host, capabilities,
                        cleartextAfterFailedHandshake))
                .whenComplete((outcome, error) -> {
                    if (error != null) {
                        connection.close();
                    }
                }));
    }

    private CompletableFuture<SmtpConnection> connect(InetSocketAddress address) {
        CompletableFuture<SmtpConnection> connected = new CompletableFuture<>();
        ChannelFuture future = bootstrap.connect(address);
        future.addListener(f -> {
            if (f.isSuccess()) {
                connected.complete(future.channel().attr(SmtpConnection.KEY).get());
            } else {
                connected.completeExceptionally(new SmtpProtocolException("cannot connect to " + address + ": "
                        + RootCause.message(f.cause()), f.cause()));
            }
        });
        return connected;
    }

    /** RFC 5321 §3.2: EHLO, and HELO when the server does not know EHLO. */
    private CompletableFuture<EhloCapabilities> ehlo(SmtpConnection connection) {
        return connection.send("EHLO " + heloName, timeouts.command()).thenCompose(reply -> {
            if (reply.isPositiveCompletion()) {
                return CompletableFuture.completedFuture(EhloCapabilities.fromEhloReply(reply));
            }
            return connection.send("HELO " + heloName, timeouts.command()).thenApply(helo -> {
                if (!helo.isPositiveCompletion()) {
                    throw new SmtpProtocolException("HELO refused: " + helo.summary());
                }
                return EhloCapabilities.NONE;
            });
        });
    }

    private CompletableFuture<SessionOutcome> negotiate(SmtpConnection connection, String mxHost,
                                                        InetSocketAddress address, HostTlsPolicy host,
                                                        EhloCapabilities capabilities, boolean afterFailedHandshake) {
        EffectiveTlsPolicy policy = host.effective();
        boolean offered = capabilities.startTls();
        TlsDecision decision = afterFailedHandshake
                ? TlsDecision.CONTINUE_IN_CLEARTEXT
                : TlsPolicyDecisions.afterEhlo(policy, offered);
        switch (decision) {
            case BLOCK:
                if (host.receiverDefers()) {
                    // Stripping STARTTLS is the downgrade DANE and MTA-STS exist to stop: defer
                    // (another MX, or later), never a final bounce an attacker could cause.
                    return refuse(connection, receiverDefers(mxHost, TlsFacts.cleartext(offered, false),
                            SessionOutcome.STARTTLS_NOT_OFFERED, host));
                }
                return refuse(connection, new SessionOutcome.Blocked(mxHost, TlsFacts.cleartext(offered, false),
                        SessionOutcome.STARTTLS_NOT_OFFERED));
            case CONTINUE_IN_CLEARTEXT:
                return readyInCleartext(connection, capabilities, mxHost, TlsFacts.cleartext(offered, afterFailedHandshake), host);
            default:
                break;
        }
        // RFC 7672 §8.1: with DANE, the SNI is the name the TLSA records were found at (the MX host,
        // or its CNAME target); otherwise the MX host's name.
        String serverName = host.daneAuthentication().map(tlsa -> tlsa.tlsaBaseDomain()).orElse(mxHost);
        return connection.startTls(sslContexts.get(policy.minTlsVersion()), serverName, address.getPort(),
                timeouts.command()).<CompletableFuture<SessionOutcome>>handle((reply, error) -> {
            if (error != null) {
                return afterStartTlsFailure(mxHost, policy, error);
            }
            if (reply.code() != 220) {
                String why = SessionOutcome.STARTTLS_REFUSED + ": " + reply.summary();
                TlsFacts cleartext = TlsFacts.cleartext(true, false);
                return switch (TlsPolicyDecisions.afterStartTlsRefused(policy, reply.code())) {
                    case BLOCK -> refuse(connection, host.receiverDefers()
                            ? receiverDefers(mxHost, cleartext, why, host)
                            : new SessionOutcome.Blocked(mxHost, cleartext, why));
                    case DEFER -> refuse(connection, new SessionOutcome.Deferred(mxHost, cleartext, why,
                            reply.statusOrDefault(), Optional.of(reply)));
                    default -> readyInCleartext(connection, capabilities, mxHost, cleartext, host);
                };
            }
            return connection.tlsHandshake(timeouts.tlsHandshake())
                    .handle((session, failure) -> failure == null
                            ? afterHandshake(connection, mxHost, host, session)
                            : afterHandshakeFailure(mxHost, policy, failure))
                    .thenCompose(outcome -> outcome);
        }).thenCompose(outcome -> outcome);
    }

    /** A receiver's requirement not met by this host: RFC 7672 §2.2 and RFC 8461 §5, defer and try the next. */
    private static SessionOutcome receiverDefers(String mxHost, TlsFacts tls, String what, HostTlsPolicy host) {
        return new SessionOutcome.Deferred(mxHost, tls, what + "; " + host.receiver().source() + " requires TLS",
                "4.7.5", Optional.empty());
    }

    /** STARTTLS got no usable reply: injected data is an outcome of its own, anything else a failure. */
    private static CompletableFuture<SessionOutcome> afterStartTlsFailure(String mxHost, EffectiveTlsPolicy policy,
                                                                          Throwable error) {
        if (!(unwrap(error) instanceof StartTlsInjectionException injection)) {
            return CompletableFuture.failedFuture(error);
        }
        // The connection is closed already: no QUIT in cleartext into a conversation someone tampers with.
        if (TlsPolicyDecisions.afterStartTlsInjection(policy) != TlsDecision.DEFER) {
            throw new IllegalStateException("no policy may go on after injected data");
        }
        return CompletableFuture.completedFuture(new SessionOutcome.Injected(mxHost, TlsFacts.cleartext(true, false),
                injection.getMessage()));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private CompletableFuture<SessionOutcome> afterHandshakeFailure(String mxHost, EffectiveTlsPolicy policy,
                                                                    Throwable error) {
        String why = handshakeFailure(error);
        SessionOutcome outcome = TlsPolicyDecisions.afterHandshakeFailure(policy) == TlsDecision.DEFER
                ? new SessionOutcome.Deferred(mxHost, TlsFacts.cleartext(true, false), why)
                : new SessionOutcome.RetryInCleartext(mxHost, why);
        return CompletableFuture.completedFuture(outcome);
    }

    private static String handshakeFailure(Throwable error) {
        String reason = RootCause.message(error);
        return reason.startsWith("TLS handshake") ? reason : "TLS handshake failed: " + reason;
    }

    private CompletableFuture<SessionOutcome> afterHandshake(SmtpConnection connection, String mxHost,
                                                             HostTlsPolicy host, SSLSession session) {
        List<X509Certificate> chain = peerChain(session);
        // RFC 7672 §3: usable TLSA records replace PKIX; the verdict says which judged it.
        CertificateVerdict verdict = judge.judge(chain, mxHost, host);
        TlsFacts facts = TlsFacts.encrypted(session.getProtocol(), session.getCipherSuite(), verdict);
        if (TlsPolicyDecisions.afterHandshake(host.effective(), verdict) == TlsDecision.DEFER) {
            return refuse(connection, new SessionOutcome.Deferred(mxHost, facts, verdict.reason().orElse("bad certificate")));
        }
        // RFC 3207 §4.2: forget what the server said in cleartext and ask again over TLS.
        return ehlo(connection).thenCompose(capabilities -> CompletableFuture.completedFuture(
                new SessionOutcome.Ready(new SmtpSession(connection, capabilities, timeouts, mxHost, facts, host,
                        new SmtpSession.Certificate(chain, judge)))));
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private CompletableFuture<SessionOutcome> readyInCleartext(SmtpConnection connection, EhloCapabilities capabilities,
                                                               String mxHost, TlsFacts facts, HostTlsPolicy host) {
        return CompletableFuture.completedFuture(new SessionOutcome.Ready(
                new SmtpSession(connection, capabilities, timeouts, mxHost, facts, host, SmtpSession.Certificate.NONE)));
    }

    /**
     * Looks at a server without sending mail, for the TLS check: the greeting, EHLO, STARTTLS when
     * offered, a handshake offering only {@code only} (every version {@link #open} offers when
     * empty), the certificate verified as for delivery, EHLO again over TLS (when {@code only} is
     * empty: whether REQUIRETLS is offered), then QUIT. The same conversation as
     * {@link #open} up to the point where a message would go.
     *
     * @return fails exceptionally with {@link SmtpProtocolException} when the server cannot be
     * reached, does not greet with 220, refuses EHLO and HELO, or stalls
     */
    public CompletableFuture<ProbeReport> probe(String mxHost, InetSocketAddress address, Optional<TlsVersion> only) {
        return connect(address).thenCompose(connection -> connection.greeting()
                .thenCompose(greeting -> {
                    if (greeting.code() != 220) {
                        throw new SmtpProtocolException("greeting was " + greeting.summary());
                    }
                    return ehlo(connection);
                })
                .thenCompose(capabilities -> capabilities.startTls()
                        ? probeTls(connection, mxHost, address, only)
                        : refuse(connection, ProbeReport.noStartTls()))
                .whenComplete((report, error) -> connection.close()));
    }

    private CompletableFuture<ProbeReport> probeTls(SmtpConnection connection, String mxHost,
                                                    InetSocketAddress address, Optional<TlsVersion> only) {
        SslContext context = only
                .map(version -> exactVersionContexts.computeIfAbsent(version,
                        v -> sslContext(List.of(v.protocolName()), provider)))
                // Else what delivery offers by default: every version from TLS 1.1 up.
                .orElse(sslContexts.get(TlsVersion.DEFAULT));
        return connection.startTls(context, mxHost, address.getPort(), timeouts.command())
                .<CompletableFuture<ProbeReport>>handle((reply, failure) -> {
            if (failure != null) {
                return unwrap(failure) instanceof StartTlsInjectionException injection
                        ? CompletableFuture.completedFuture(ProbeReport.startTlsInjected(injection.getMessage()))
                        : CompletableFuture.failedFuture(failure);
            }
            if (reply.code() != 220) {
                return refuse(connection, ProbeReport.startTlsRefused(reply));
            }
            return connection.tlsHandshake(timeouts.tlsHandshake())
                    .handle((session, error) -> {
                        if (error != null) {
                            return CompletableFuture.completedFuture(ProbeReport.handshakeFailed(handshakeFailure(error)));
                        }
                        List<X509Certificate> chain = peerChain(session);
                        CertificateVerdict verdict = verifier.verify(chain, mxHost);
                        if (only.isPresent()) {
                            return refuse(connection, ProbeReport.encrypted(session.getProtocol(),
                                    session.getCipherSuite(), chain, verdict, false));
                        }
                        // RFC 3207 §4.2 and RFC 8689 §4.2.1: REQUIRETLS counts only in the EHLO
                        // after the handshake; a server that does not answer it simply does not offer it.
                        return ehlo(connection).handle((capabilities, ehloFailure) -> ehloFailure == null
                                        && capabilities.requireTls())
                                .thenCompose(requireTls -> refuse(connection, ProbeReport.encrypted(
                                        session.getProtocol(), session.getCipherSuite(), chain, verdict, requireTls)));
                    })
                    .thenCompose(report -> report);
        }).thenCompose(report -> report);
    }

    /** Policy refuses this connection (or a probe is done): QUIT politely, nothing of a message was sent. */
    private <T> CompletableFuture<T> refuse(SmtpConnection connection, T outcome) {
        return connection.send("QUIT", timeouts.quit())
                .handle((reply, error) -> outcome)
                .whenComplete((o, e) -> connection.close());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
