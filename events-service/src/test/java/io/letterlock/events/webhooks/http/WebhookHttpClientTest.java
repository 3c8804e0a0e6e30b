package io.letterlock.events.webhooks.http;

import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.net.AddressRange;
import io.letterlock.mail.tls.TrustAnchors;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook HTTP client against real receivers on sockets. */
class WebhookHttpClientTest {

    private static final byte[] BODY = "[{\"event\":\"delivered\"}]".getBytes(StandardCharsets.UTF_8);
    private static final AddressGuard ALLOW_LOOPBACK = new AddressGuard(List.of(AddressRange.parse("127.0.0.1/32")));

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private WebhookHttpClient client(AddressGuard guard, HostResolver resolver) {
        return new WebhookHttpClient(vertx, guard, resolver, 2, Clock.systemUTC());
    }

    @Test
    void postsTheExactBytesWithTheHeadersAndReadsTheAnswer() throws Exception {
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().respond(503).retryAfter("120").start();
             WebhookHttpClient client = client(ALLOW_LOOPBACK, HostResolver.SYSTEM)) {
            HttpAnswer answer = client.post(URI.create(receiver.url() + "?token=abc"), "application/json",
                    Map.of("X-Test", "1"), BODY, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.isSuccess()).isFalse();
            assertThat(answer.retryAfter()).hasValue(Duration.ofSeconds(120));
            var request = receiver.requests().get(0);
            assertThat(request.body()).isEqualTo(BODY);
            assertThat(request.header("X-Test")).hasValue("1");
            assertThat(request.header("Content-Type")).hasValue("application/json");
            assertThat(request.header("Host")).hasValue("127.0.0.1:" + receiver.port());
        }
    }

    @Test
    void aNameThatResolvesToAForbiddenAddressAtConnectTimeIsRefused() throws Exception {
        // The name resolved to a public address when the URL was stored; now it points inside (DNS rebinding).
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> {
            lookups.incrementAndGet();
            return new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        };
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start();
             WebhookHttpClient client = client(new AddressGuard(List.of()), rebinding)) {
            URI url = URI.create("http://hooks.example.com:" + receiver.port() + "/hook");

            assertThatThrownBy(() -> client.post(url, "application/json", Map.of(), BODY, Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebhookRequestException.class)
                    .hasMessageContaining("127.0.0.1 is a loopback address")
                    .matches(e -> ((WebhookRequestException) e).refusedByGuard());
            assertThat(lookups).hasValue(1);
            assertThat(receiver.requestCount()).isZero();
        }
    }

    @Test
    void aNameResolvedAtConnectTimeIsConnectedToByItsCheckedAddress() throws Exception {
        HostResolver toLoopback = host -> new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start();
             WebhookHttpClient client = client(ALLOW_LOOPBACK, toLoopback)) {
            URI url = URI.create("http://hooks.example.com:" + receiver.port() + "/hook");

            HttpAnswer answer = client.post(url, "application/json", Map.of(), BODY, Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS);

            assertThat(answer.status()).isEqualTo(200);
            // The Host header still names the host, not the address.
            assertThat(receiver.requests().get(0).header("Host")).hasValue("hooks.example.com:" + receiver.port());
        }
    }

    @Test
    void httpsGoesToTheCheckedAddressButVerifiesTheCertificateAgainstTheHostName() throws Exception {
        TestCa ca = TestCa.create("Webhook Test CA");
        HostResolver toLoopback = host -> new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        var trustTestCa = TrustAnchors.trustManagerFactory(List.of(ca.certificate()));
        try (TestWebhookReceiver good = TestWebhookReceiver.builder()
                .tls(ServerCertificate.valid(ca, "hooks.example.com").sslContext()).start();
             TestWebhookReceiver wrongName = TestWebhookReceiver.builder()
                     .tls(ServerCertificate.wrongName(ca, "hooks.example.com").sslContext()).start();
             TestWebhookReceiver expired = TestWebhookReceiver.builder()
                     .tls(ServerCertificate.expired(ca, "hooks.example.com").sslContext()).start();
             WebhookHttpClient client = new WebhookHttpClient(vertx, ALLOW_LOOPBACK, toLoopback, 2, Clock.systemUTC(),
                     trustTestCa);
             WebhookHttpClient jvmTrustOnly = client(ALLOW_LOOPBACK, toLoopback)) {
            URI goodUrl = URI.create("https://hooks.example.com:" + good.port() + "/hook");

            assertThat(client.post(goodUrl, "application/json", Map.of(), BODY, Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(good.requests()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(BODY));

            for (TestWebhookReceiver bad : List.of(wrongName, expired)) {
                URI url = URI.create("https://hooks.example.com:" + bad.port() + "/hook");
                assertThatThrownBy(() -> client.post(url, "application/json", Map.of(), BODY, Duration.ofSeconds(5))
                        .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(WebhookRequestException.class);
                assertThat(bad.requestCount()).isZero();
            }
            // A CA the JVM does not trust: not sent, whatever the name.
            assertThatThrownBy(() -> jvmTrustOnly.post(goodUrl, "application/json", Map.of(), BODY,
                    Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS)).cause().isInstanceOf(WebhookRequestException.class);
            assertThat(good.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (TestWebhookReceiver elsewhere = TestWebhookReceiver.builder().start();
             TestWebhookReceiver redirecting = TestWebhookReceiver.builder().redirectTo(elsewhere.url()).start();
             WebhookHttpClient client = client(ALLOW_LOOPBACK, HostResolver.SYSTEM)) {
            HttpAnswer answer = client.post(URI.create(redirecting.url()), "application/json", Map.of(), BODY,
                    Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

            assertThat(answer.status()).isEqualTo(302);
            assertThat(elsewhere.requestCount()).isZero();
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerCostsTheTimeoutAndNoMore() throws Exception {
        try (TestWebhookReceiver slow = TestWebhookReceiver.builder().delay(Duration.ofSeconds(30)).start();
             WebhookHttpClient client = client(ALLOW_LOOPBACK, HostResolver.SYSTEM)) {
            long started = System.nanoTime();

            assertThatThrownBy(() -> client.post(URI.create(slow.url()), "application/json", Map.of(), BODY,
                    Duration.ofMillis(700)).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(WebhookRequestException.class).hasMessageContaining("within 700 ms");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(650), Duration.ofSeconds(3));
            assertThat(slow.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedConnectionIsAFailureNotAnAnswer() throws Exception {
        TestWebhookReceiver closed = TestWebhookReceiver.builder().start();
        String url = closed.url();
        closed.close();
        try (WebhookHttpClient client = client(ALLOW_LOOPBACK, HostResolver.SYSTEM)) {
            assertThatThrownBy(() -> client.post(URI.create(url), "application/json", Map.of(), BODY,
                    Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(WebhookRequestException.class)
                    .matches(e -> !((WebhookRequestException) e).refusedByGuard());
        }
    }

    @Test
    void onlyHttpAndHttpsWithoutCredentialsAreFetched() throws Exception {
        try (WebhookHttpClient client = client(ALLOW_LOOPBACK, HostResolver.SYSTEM)) {
            for (String url : List.of("ftp://127.0.0.1/x", "http://user:pw@127.0.0.1/x", "file:///etc/passwd")) {
                assertThatThrownBy(() -> client.post(URI.create(url), "application/json", Map.of(), BODY,
                        Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS))
                        .as(url).cause().isInstanceOf(WebhookRequestException.class);
            }
        }
    }
}
