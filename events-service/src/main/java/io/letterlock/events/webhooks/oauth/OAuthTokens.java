package io.letterlock.events.webhooks.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings.OAuthClient;
import io.letterlock.events.webhooks.http.HttpAnswer;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.events.webhooks.http.WebhookRequestException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Bearer tokens for webhooks sent with OAuth 2.0 client credentials (RFC 6749 §4.4). A token is
 * fetched from the subscriber's token URL (through the same guarded client as the webhooks, so the
 * token URL cannot reach inside the network either), kept, and fetched anew before it expires: at
 * {@link #REFRESH_MARGIN} before {@code expires_in} runs out, or half-way for short-lived tokens.
 * Concurrent webhooks of one subscription share one fetch. A failed fetch is not kept, so the next
 * webhook tries again.
 *
 * <p>Bounded: at most {@code maxTokens} are kept, and a token is dropped once it would be fetched anew
 * anyway, so credentials tried once (the test endpoint takes any) do not stay. When full, Caffeine
 * drops what is least likely to be asked for again (W-TinyLFU): a subscription's token in use
 * survives a flood of one-off credentials, and the cache never stops caching. Its time is the
 * service's clock. A token is at most {@link WebhookHttpClient#BODY_KEPT} bytes.
 */
public final class OAuthTokens {

    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
    /** Used when the token endpoint does not say how long its token lives. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final WebhookHttpClient http;
    private final Clock clock;
    private final Duration timeout;
    /** A fetch under way is kept (Caffeine does not expire it until it completes); a failed one is dropped. */
    private final AsyncCache<String, Token> tokens;

    public OAuthTokens(WebhookHttpClient http, Clock clock, Duration timeout, int maxTokens) {
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
        if (maxTokens < 1) {
            throw new IllegalArgumentException("letterlock.webhook.oauth-token-cache-size must be at least 1: " + maxTokens);
        }
        this.tokens = Caffeine.newBuilder()
                .maximumSize(maxTokens)
                .expireAfter(new UntilRefresh())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Evictions run on the caller's thread: no pool threads for a cache of small records.
                .executor(Runnable::run)
                .buildAsync();
    }

    /** Tokens (and fetches of them) kept now, expired ones swept first. */
    public long size() {
        tokens.synchronous().cleanUp();
        return tokens.synchronous().estimatedSize();
    }

    /** A token to send as {@code Authorization: Bearer …}; fails with {@link WebhookRequestException}. */
    public CompletableFuture<String> bearer(OAuthClient client) {
        String key = keyOf(client);
        CompletableFuture<Token> token = tokens.get(key, (k, executor) -> fetch(client));
        boolean fetching = !token.isDone();
        return token.handle((fetched, error) -> {
            // Settled before the caller hears of it (Caffeine settles completed fetches too, but
            // perhaps after): a failed fetch is dropped, so the next webhook tries again; a new token
            // is kept until its refresh time.
            if (error != null) {
                tokens.asMap().remove(key, token);
                throw error instanceof CompletionException completion ? completion : new CompletionException(error);
            }
            if (fetching) {
                tokens.asMap().replace(key, token, token);
            }
            return fetched.value();
        });
    }

    private CompletableFuture<Token> fetch(OAuthClient client) {
        String credentials = form(client.clientId()) + ":" + form(client.clientSecret());
        Map<String, String> headers = Map.of(
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)),
                "Accept", "application/json");
        byte[] body = "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII);
        Instant asked = clock.instant();
        return http.post(URI.create(client.tokenUrl()), "application/x-www-form-urlencoded", headers, body, timeout)
                .thenApply(answer -> tokenFrom(answer, asked));
    }

    private static Token tokenFrom(HttpAnswer answer, Instant asked) {
        if (!answer.isSuccess()) {
            throw new WebhookRequestException("OAuth token endpoint answered " + answer.status(), false, null);
        }
        JsonNode json;
        try {
            json = Json.mapper().readTree(answer.body());
        } catch (Exception e) {
            throw new WebhookRequestException("OAuth token endpoint did not answer JSON", false, e);
        }
        JsonNode accessToken = json == null ? null : json.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isEmpty()) {
            throw new WebhookRequestException("OAuth token endpoint answered no access_token", false, null);
        }
        JsonNode type = json.get("token_type");
        if (type != null && !type.asText().equalsIgnoreCase("bearer")) {
            throw new WebhookRequestException("OAuth token endpoint answered a " + type.asText()
                    + " token; only bearer tokens can be sent", false, null);
        }
        JsonNode expiresIn = json.get("expires_in");
        Duration lifetime = expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0
                ? Duration.ofSeconds(expiresIn.asLong()) : DEFAULT_LIFETIME;
        Duration refreshAfter = lifetime.compareTo(REFRESH_MARGIN.multipliedBy(2)) > 0
                ? lifetime.minus(REFRESH_MARGIN) : lifetime.dividedBy(2);
        return new Token(accessToken.asText(), asked.plus(refreshAfter));
    }

    /** A token is kept until it is to be fetched anew, however often it is used. */
    private static final class UntilRefresh implements Expiry<String, Token> {

        /** Saturating: a token said to live for ages must not overflow Caffeine's clock. */
        private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE / 4);

        @Override
        public long expireAfterCreate(String key, Token token, long currentTime) {
            // The ticker is the clock's time since the epoch, in nanoseconds.
            Duration left = Duration.between(Instant.ofEpochMilli(TimeUnit.NANOSECONDS.toMillis(currentTime)),
                    token.refreshAt());
            return left.isNegative() ? 0 : (left.compareTo(FOREVER) > 0 ? FOREVER : left).toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Token token, long currentTime, long currentDuration) {
            return expireAfterCreate(key, token, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Token token, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks for client credentials in Basic auth. */
    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** One cache entry per credentials; a changed secret gets a new token. The secret is kept only as a digest. */
    private static String keyOf(OAuthClient client) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(client.tokenUrl().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(client.clientId().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(client.clientSecret().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Token(String value, Instant refreshAt) {
    }
}
