package io.letterlock.events.webhooks.dispatch;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.http.HttpAnswer;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.events.webhooks.oauth.OAuthTokens;
import io.letterlock.events.webhooks.signing.WebhookSigner;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One POST of one batch to an account's endpoint, as its settings say now: signed (SendGrid's ECDSA
 * and/or Standard Webhooks, over the exact body bytes, stamped at this attempt), with the OAuth
 * bearer token when configured, and judged: 2xx delivered, 410 gone, anything else or no answer
 * retried. Never fails exceptionally: every ending is a {@link PostResult}.
 */
public final class WebhookPoster {

    private final WebhookHttpClient http;
    private final WebhookSigner signer;
    private final OAuthTokens tokens;
    private final Duration timeout;
    private final Clock clock;

    public WebhookPoster(WebhookHttpClient http, WebhookSigner signer, OAuthTokens tokens, Duration timeout, Clock clock) {
        this.http = http;
        this.signer = signer;
        this.tokens = tokens;
        this.timeout = timeout;
        this.clock = clock;
    }

    public CompletableFuture<PostResult> post(WebhookSettings settings, String batchId, byte[] body) {
        if (!settings.enabled() || settings.url() == null) {
            return CompletableFuture.completedFuture(PostResult.noEndpoint());
        }
        long started = System.nanoTime();
        Map<String, String> headers = new LinkedHashMap<>(signer.headers(settings, batchId, body, clock.instant()));
        CompletableFuture<Map<String, String>> ready = settings.oauth() == null
                ? CompletableFuture.completedFuture(headers)
                : tokens.bearer(settings.oauth()).thenApply(token -> {
                    headers.put("Authorization", "Bearer " + token);
                    return headers;
                });
        return ready
                .thenCompose(all -> http.post(URI.create(settings.url()), "application/json", all, body, timeout))
                .handle((answer, error) -> error == null ? judge(answer) : noAnswer(error, started));
    }

    private static PostResult judge(HttpAnswer answer) {
        String reason = answer.status() + (answer.body().isBlank() ? "" : " " + firstLine(answer.body()));
        PostResult.Verdict verdict = answer.isSuccess() ? PostResult.Verdict.DELIVERED
                : answer.status() == 410 ? PostResult.Verdict.GONE : PostResult.Verdict.RETRY;
        return new PostResult(verdict, answer.status(), reason, answer.retryAfter(), answer.latency());
    }

    private static PostResult noAnswer(Throwable error, long started) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new PostResult(PostResult.Verdict.RETRY, 0, reason, Optional.empty(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String firstLine(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
