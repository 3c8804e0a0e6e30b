package io.letterlock.faults.harness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.Json;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code POST /v3/mail/send} as a sender's client does it: one request carries several recipients,
 * each in a personalization of its own, so each becomes a job of its own. A {@code 503} means none
 * of them was stored (README), so it is sent again, as a client retries; so is a request that never
 * reached a replica. One whose answer was lost after it was sent cannot be told apart from one that
 * was stored: it is sent again too, and counted in {@link #ambiguousRetries()}, since such a retry
 * can itself make a message arrive twice.
 */
public final class MailApi {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<String> baseUrl;
    private final TestAccount account;
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger ambiguousRetries = new AtomicInteger();

    /** @param baseUrl the replica to call, asked again before every request */
    public MailApi(Supplier<String> baseUrl, TestAccount account) {
        this.baseUrl = baseUrl;
        this.account = account;
    }

    /** What a 202 said. */
    public record Accepted(String messageId, Instant at) {
    }

    /** Sends now; {@code sendAt} (unix seconds) or null. Returns after the 202. */
    public Accepted send(List<String> recipients, Long sendAt) {
        byte[] body = body(recipients, sendAt);
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v3/mail/send"))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", account.bearer())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return new Accepted(response.headers().firstValue("X-Message-Id").orElse(""), Instant.now());
                }
                if (response.statusCode() != 503) {
                    throw new IllegalStateException("POST /v3/mail/send answered " + response.statusCode() + ": "
                            + response.body());
                }
                last = "503 " + response.body();
            } catch (ConnectException e) {
                last = e.toString(); // never reached a replica
            } catch (IOException e) {
                ambiguousRetries.incrementAndGet();
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            retries.incrementAndGet();
            KafkaBroker.sleep(250);
        }
        throw new IllegalStateException("POST /v3/mail/send not accepted within " + GIVE_UP_AFTER + "; last: " + last);
    }

    /** Requests sent again after a 503 or a failed connection. */
    public int retries() {
        return retries.get();
    }

    /** Requests sent again although the first may have been stored. */
    public int ambiguousRetries() {
        return ambiguousRetries.get();
    }

    private static byte[] body(List<String> recipients, Long sendAt) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode personalizations = body.putArray("personalizations");
        for (String recipient : recipients) {
            personalizations.addObject().putArray("to").addObject().put("email", recipient);
        }
        body.putObject("from").put("email", "sender@fault.letterlock.test");
        body.put("subject", "Fault suite");
        body.putArray("content").addObject().put("type", "text/plain").put("value", "One job, one recipient.");
        if (sendAt != null) {
            body.put("send_at", sendAt);
        }
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
