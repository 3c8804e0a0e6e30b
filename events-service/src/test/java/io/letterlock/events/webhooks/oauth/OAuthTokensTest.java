package io.letterlock.events.webhooks.oauth;

import com.sun.net.httpserver.HttpServer;
import io.letterlock.contracts.WebhookSettings.OAuthClient;
import io.letterlock.events.webhooks.http.HostResolver;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.events.webhooks.http.WebhookRequestException;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.net.AddressRange;
import io.letterlock.testkit.time.SettableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client-credentials tokens from a real token endpoint over HTTP. */
class OAuthTokensTest {

    private final Vertx vertx = Vertx.vertx();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private HttpServer tokenServer;
    private WebhookHttpClient http;
    private OAuthTokens tokens;

    @BeforeEach
    void start() throws IOException {
        tokenServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenServer.createContext("/token", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String json = answer.get() != null ? answer.get()
                    : "{\"access_token\":\"tok-" + issued.incrementAndGet() + "\",\"token_type\":\"Bearer\",\"expires_in\":600}";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        tokenServer.start();
        AddressGuard loopbackAllowed = new AddressGuard(List.of(AddressRange.parse("127.0.0.1/32")));
        http = new WebhookHttpClient(vertx, loopbackAllowed, HostResolver.SYSTEM, 2, clock);
        tokens = new OAuthTokens(http, clock, Duration.ofSeconds(5), 3);
    }

    @AfterEach
    void stop() {
        http.close();
        tokenServer.stop(0);
        vertx.close();
    }

    private OAuthClient client(String secret) {
        return new OAuthClient("http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token", "client id", secret);
    }

    private String bearer(OAuthClient client) throws Exception {
        return tokens.bearer(client).get(10, TimeUnit.SECONDS);
    }

    @Test
    void fetchesWithBasicCredentialsAndKeepsTheTokenUntilShortlyBeforeItExpires() throws Exception {
        OAuthClient client = client("s3cr=t");

        assertThat(bearer(client)).isEqualTo("tok-1");
        assertThat(bodies).containsExactly("grant_type=client_credentials");
        // RFC 6749 §2.3.1: form-encoded id and secret in Basic.
        assertThat(new String(Base64.getDecoder().decode(authorizations.get(0).substring("Basic ".length())),
                StandardCharsets.UTF_8)).isEqualTo("client+id:s3cr%3Dt");

        clock.advance(Duration.ofSeconds(530));
        assertThat(bearer(client)).isEqualTo("tok-1");
        // 60 s before the 600 s run out, a new one is fetched.
        clock.advance(Duration.ofSeconds(15));
        assertThat(bearer(client)).isEqualTo("tok-2");
        assertThat(issued).hasValue(2);
    }

    @Test
    void concurrentWebhooksShareOneFetchAndAChangedSecretGetsItsOwnToken() throws Exception {
        OAuthClient client = client("one");
        List<CompletableFuture<String>> many = List.of(tokens.bearer(client), tokens.bearer(client), tokens.bearer(client));
        CompletableFuture.allOf(many.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(many).extracting(CompletableFuture::join).containsOnly("tok-1");
        assertThat(bearer(client("two"))).isEqualTo("tok-2");
    }

    @Test
    void aTokenIsForgottenOnceItWouldBeFetchedAnewAnyway() throws Exception {
        bearer(client("a"));
        bearer(client("b"));
        assertThat(tokens.size()).isEqualTo(2);

        // Past the refresh point of both (600 s less the margin): neither would be sent again.
        clock.advance(Duration.ofSeconds(600));
        assertThat(bearer(client("c"))).isEqualTo("tok-3");

        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void whenFullItKeepsCachingAndATokenInUseOutlastsAFloodOfOneOffCredentials() throws Exception {
        // The test's cache keeps 3. A subscription sends webhooks all along, while twenty credentials
        // are each tried once (the test endpoint takes any).
        OAuthClient busy = client("busy");
        for (int i = 0; i < 20; i++) {
            assertThat(bearer(busy)).isEqualTo("tok-1");
            bearer(client("one-off " + i));
        }

        assertThat(tokens.size()).isEqualTo(3);
        assertThat(bearer(busy)).as("never fetched again").isEqualTo("tok-1");
        // A newcomer that keeps sending gets in: the cache did not stop caching when full.
        OAuthClient newcomer = client("newcomer");
        List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(bearer(newcomer));
        }
        assertThat(sent.subList(2, 5)).as("kept from the second use on at the latest").containsOnly(sent.get(4));
        assertThat(tokens.size()).isEqualTo(3);
    }

    @Test
    void anAnswerWithoutABearerTokenFailsAndIsNotKept() throws Exception {
        answer.set("{\"error\":\"invalid_client\"}");
        assertThatThrownBy(() -> bearer(client("x"))).cause().isInstanceOf(WebhookRequestException.class)
                .hasMessageContaining("no access_token");
        answer.set("{\"access_token\":\"abc\",\"token_type\":\"mac\"}");
        assertThatThrownBy(() -> bearer(client("x"))).cause().hasMessageContaining("only bearer tokens");

        answer.set(null);
        assertThat(bearer(client("x"))).isEqualTo("tok-1");
    }

    @Test
    void aTokenUrlInsideTheNetworkIsRefused() {
        AddressGuard publicOnly = new AddressGuard(List.of());
        OAuthTokens guarded = new OAuthTokens(new WebhookHttpClient(vertx, publicOnly, HostResolver.SYSTEM, 1, clock),
                clock, Duration.ofSeconds(5), 3);

        assertThatThrownBy(() -> guarded.bearer(client("x")).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(WebhookRequestException.class).hasMessageContaining("loopback");
        assertThat(bodies).isEmpty();
    }
}
