package io.letterlock.events.tlsrpt.send;

import io.letterlock.events.webhooks.http.HttpAnswer;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.events.webhooks.http.WebhookRequestException;
import io.letterlock.mail.RootCause;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Submits a report to a domain's {@code https:} target (RFC 8460 §5.3): one POST of the gzipped
 * report as {@code application/tlsrpt+gzip}, its answer read as a {@link SubmissionOutcome}.
 *
 * <p>The target comes from the policy domain's DNS, so anyone can point it anywhere: it goes
 * through the webhooks' {@link WebhookHttpClient}, which resolves the name itself, refuses it when
 * any address is one the webhooks' address guard forbids (loopback, private, link-local, unless
 * {@code letterlock.webhook.allow} opens it) and then connects only to the checked address, with
 * the certificate verified against the name and redirects never followed.
 */
public final class HttpsReportSubmitter {

    /** A target's {@code Retry-After} is honoured up to this: a report is daily, and a longer wait is a refusal in all but name. */
    public static final Duration RETRY_AFTER_CAP = Duration.ofHours(6);
    /** How the POSTs name themselves: a collector's logs should show a TLS reporter, not a webhook. */
    static final String USER_AGENT = "Letterlock-TLS-Reports/0.1";

    private final WebhookHttpClient http;
    private final Duration timeout;
    private final Duration retryAfterCap;

    /**
     * @param timeout       for the whole request: resolution, connection, TLS, upload and answer
     *                      ({@code letterlock.tls-rpt.submit-timeout})
     * @param retryAfterCap the longest {@code Retry-After} honoured
     */
    public HttpsReportSubmitter(WebhookHttpClient http, Duration timeout, Duration retryAfterCap) {
        this.http = http;
        this.timeout = timeout;
        this.retryAfterCap = retryAfterCap;
    }

    public HttpsReportSubmitter(WebhookHttpClient http, Duration timeout) {
        this(http, timeout, RETRY_AFTER_CAP);
    }

    /** Never fails: whatever went wrong is in the outcome. */
    public CompletableFuture<SubmissionOutcome> submit(URI target, ReportFile file) {
        // RFC 8460 §3: rua's https: URIs; the record parser keeps only those, but this is where the bytes leave.
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https")) {
            return CompletableFuture.completedFuture(new SubmissionOutcome.Refused("not an https: target: " + target));
        }
        CompletableFuture<HttpAnswer> answer;
        try {
            answer = http.post(target, ReportFile.GZIP_MEDIA_TYPE, Map.of("User-Agent", USER_AGENT), file.gzipped(), timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
        return answer.handle((reply, error) -> error == null ? outcome(reply) : failure(error));
    }

    private SubmissionOutcome outcome(HttpAnswer answer) {
        int status = answer.status();
        if (answer.isSuccess()) {
            return new SubmissionOutcome.Delivered(status);
        }
        if (status == 429 || status >= 500) {
            return new SubmissionOutcome.Retry("HTTP " + status, answer.retryAfter().map(this::capped));
        }
        // 4xx: the target will not take this report, as it is, again; 3xx: redirects are not followed.
        return new SubmissionOutcome.Refused("HTTP " + status);
    }

    private Duration capped(Duration retryAfter) {
        return retryAfter.compareTo(retryAfterCap) > 0 ? retryAfterCap : retryAfter;
    }

    private static SubmissionOutcome failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebhookRequestException request && request.refusedByGuard()) {
            return new SubmissionOutcome.Refused(request.getMessage());
        }
        // No answer (timeout, resolution, connection, TLS): nothing the target said, so try again later.
        return new SubmissionOutcome.Retry(RootCause.message(cause), Optional.empty());
    }
}
