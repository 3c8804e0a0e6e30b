package io.letterlock.events.webhooks.http;

import io.letterlock.mail.RootCause;
import io.letterlock.mail.tls.TrustAnchors;
import io.letterlock.service.net.AddressGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.TrustManagerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * POSTs webhooks, non-blocking, on Vert.x's event loops.
 *
 * <p>The SSRF guard is applied to the address actually connected to: the host name is resolved
 * here, every address it resolves to must pass {@link AddressGuard#refusal}, and the
 * connection goes to that checked address while the {@code Host} header, SNI and certificate name
 * check still use the host name. A name that resolves to a public address when the URL is stored
 * and to 127.0.0.1 later (DNS rebinding) is refused at that later moment.
 *
 * <p>HTTPS endpoints must present a certificate that chains to a trusted CA and names the URL's
 * host; there is no switch to accept anything else, since the signed events would go to whoever
 * holds the address.
 *
 * <p>Redirects are never followed (a 3xx is just a failed delivery): a redirect could lead anywhere,
 * including past the guard. Every request has one deadline covering connection, TLS, sending and
 * the whole answer, so an endpoint that trickles bytes costs the timeout and no more. Only the
 * first {@link #BODY_KEPT} bytes of an answer are kept.
 */
public final class WebhookHttpClient implements AutoCloseable {

    /** Bytes of a response body kept (room for an OAuth token answer); the rest is read and dropped. */
    public static final int BODY_KEPT = 16 * 1024;
    private static final String USER_AGENT = "Letterlock-Webhooks/0.1";

    private final Vertx vertx;
    private final HttpClient client;
    private final AddressGuard guard;
    private final HostResolver resolver;
    private final Clock clock;

    /**
     * The client for endpoints anyone may name (webhook URLs, TLS report targets from DNS): the
     * address guard, and HTTPS endpoints chaining to the JVM's trust store plus {@code trustPem}
     * ({@code letterlock.webhook.trust-pem}).
     */
    public static WebhookHttpClient forEndpoints(Vertx vertx, AddressGuard guard, int connectionsPerEndpoint, Clock clock,
                                                 Optional<Path> trustPem) {
        return new WebhookHttpClient(vertx, guard, HostResolver.SYSTEM, connectionsPerEndpoint, clock,
                TrustAnchors.trustManagerFactory(TrustAnchors.jvmPlus(trustPem)));
    }

    /** Trusting the JVM's trust store for HTTPS endpoints. */
    public WebhookHttpClient(Vertx vertx, AddressGuard guard, HostResolver resolver, int connectionsPerEndpoint,
                             Clock clock) {
        this(vertx, guard, resolver, connectionsPerEndpoint, clock, null);
    }

    /**
     * @param connectionsPerEndpoint most connections kept open to one endpoint address
     * @param trust                  the CAs HTTPS endpoints must chain to; null: the JVM's trust store
     */
    public WebhookHttpClient(Vertx vertx, AddressGuard guard, HostResolver resolver, int connectionsPerEndpoint,
                             Clock clock, TrustManagerFactory trust) {
        this.vertx = vertx;
        this.guard = guard;
        this.resolver = resolver;
        this.clock = clock;
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(Math.max(1, connectionsPerEndpoint))
                // Idle connections are closed after a while so a receiver's restart or a changed DNS
                // answer is picked up, and so many dormant endpoints do not hold sockets.
                .setKeepAliveTimeout(30)
                .setVerifyHost(true)
                .setTryUseCompression(false)
                // The checked address is the server; the name must still reach TLS.
                .setForceSni(true);
        if (trust != null) {
            options.setTrustOptions(TrustOptions.wrap(trust));
        }
        this.client = vertx.createHttpClient(options);
    }

    /**
     * POSTs {@code body} to {@code url}.
     *
     * @param headers extra headers (signatures, authorization); never logged
     *
     * @return the answer, whatever its status; fails with {@link WebhookRequestException} when there
     *         was none (guard refusal, resolution, connection, TLS, timeout)
     */
    public CompletableFuture<HttpAnswer> post(URI url, String contentType, Map<String, String> headers, byte[] body,
                                             Duration timeout) {
        CompletableFuture<HttpAnswer> result = new CompletableFuture<>();
        long started = System.nanoTime();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean ssl = scheme.equals("https");
        if (!ssl && !scheme.equals("http") || url.getHost() == null || url.getRawUserInfo() != null) {
            result.completeExceptionally(new WebhookRequestException("not an http(s) URL with a host", false, null));
            return result;
        }
        String host = url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            if (finished.compareAndSet(false, true)) {
                HttpClientRequest open = request.get();
                if (open != null) {
                    open.reset();
                }
                result.completeExceptionally(new WebhookRequestException(
                        "no complete answer within " + timeout.toMillis() + " ms", false, null));
            }
        });
        result.whenComplete((answer, error) -> vertx.cancelTimer(timer));

        vertx.<InetAddress>executeBlocking(() -> checkedAddress(host), false).onComplete(resolved -> {
            if (resolved.failed()) {
                fail(result, finished, resolved.cause());
                return;
            }
            if (finished.get()) {
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                    .setPort(port)
                    .setSsl(ssl)
                    .setServer(SocketAddress.inetSocketAddress(port, resolved.result().getHostAddress()))
                    .setURI(pathAndQuery(url))
                    .setFollowRedirects(false)
                    .setConnectTimeout(Math.max(1, timeout.toMillis()));
            // The caller's headers last: another sender through this client (TLS reports) names itself.
            options.putHeader("User-Agent", USER_AGENT);
            headers.forEach(options::putHeader);
            options.putHeader("Content-Type", contentType);
            client.request(options).onComplete(opened -> {
                if (opened.failed()) {
                    fail(result, finished, opened.cause());
                    return;
                }
                HttpClientRequest req = opened.result();
                request.set(req);
                if (finished.get()) {
                    req.reset();
                    return;
                }
                req.send(Buffer.buffer(body)).onComplete(sent -> {
                    if (sent.failed()) {
                        fail(result, finished, sent.cause());
                    } else {
                        readAnswer(sent.result(), result, finished, started);
                    }
                });
            });
        });
        return result;
    }

    private InetAddress checkedAddress(String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new WebhookRequestException("host " + host + " does not resolve", false, e);
        }
        if (addresses.length == 0) {
            throw new WebhookRequestException("host " + host + " has no address", false, null);
        }
        // Every address, not only the one used: a name mixing public and private answers is suspect.
        for (InetAddress address : addresses) {
            Optional<String> refusal = guard.refusal(address);
            if (refusal.isPresent()) {
                throw new WebhookRequestException("refused: host " + host + " resolves to " + refusal.get(), true, null);
            }
        }
        return addresses[0];
    }

    private void readAnswer(HttpClientResponse response, CompletableFuture<HttpAnswer> result, AtomicBoolean finished,
                            long started) {
        Buffer kept = Buffer.buffer();
        response.handler(chunk -> {
            int room = BODY_KEPT - kept.length();
            if (room > 0) {
                kept.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
            }
        });
        response.exceptionHandler(error -> fail(result, finished, error));
        response.endHandler(end -> {
            if (finished.compareAndSet(false, true)) {
                result.complete(new HttpAnswer(response.statusCode(),
                        RetryAfter.parse(response.getHeader("Retry-After"), clock),
                        new String(kept.getBytes(), StandardCharsets.UTF_8),
                        Duration.ofNanos(System.nanoTime() - started)));
            }
        });
    }

    private static void fail(CompletableFuture<HttpAnswer> result, AtomicBoolean finished, Throwable error) {
        if (finished.compareAndSet(false, true)) {
            result.completeExceptionally(error instanceof WebhookRequestException
                    ? error : new WebhookRequestException(RootCause.message(error), false, error));
        }
    }

    private static String pathAndQuery(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    @Override
    public void close() {
        client.close();
    }
}
