package io.letterlock.testkit.webhook;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.letterlock.testkit.webhook.TestHttp.CLIENT;
import static io.letterlock.testkit.webhook.TestHttp.TIMEOUT;
import static io.letterlock.testkit.webhook.TestHttp.post;
import static io.letterlock.testkit.webhook.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The receiver over real HTTP: what it records, how it answers, and that it never holds a test up. */
class TestWebhookReceiverTest {

    private static final byte[] JSON = "[{\"event\":\"delivered\",\"email\":\"a@example.com\"}]"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void listensOnLoopbackAtAnEphemeralPort() {
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start()) {
            assertThat(receiver.port()).isPositive();
            assertThat(receiver.url()).isEqualTo("http://127.0.0.1:" + receiver.port() + "/hook");
            assertThat(receiver.url("/events?v=2")).isEqualTo("http://127.0.0.1:" + receiver.port() + "/events?v=2");
            assertThatThrownBy(() -> receiver.url("events")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSubscriberThatWasDownComesBackAtTheSameUrl() throws Exception {
        TestWebhookReceiver down = TestWebhookReceiver.builder().start();
        String url = down.url();
        down.close();
        assertThatThrownBy(() -> send(post(url, JSON))).isInstanceOf(ConnectException.class);

        try (TestWebhookReceiver back = TestWebhookReceiver.builder().port(down.port()).start()) {
            assertThat(back.url()).isEqualTo(url);
            assertThat(send(post(url, JSON)).statusCode()).isEqualTo(200);
            assertThat(back.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void recordsMethodPathHeadersAndTheExactBodyBytes() throws Exception {
        // Not valid UTF-8 on purpose (0xFF, a lone 0xC3) and with CRLF: nothing may be decoded or normalised.
        byte[] body = concat("[{\"subject\":\"caf\u00e9\"}]\r\n".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, (byte) 0xFF, (byte) 0xC3, '\n'});
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start()) {
            Instant before = Instant.now();

            HttpResponse<String> response = send(post(receiver.url("/events?batch=7&to=a%40b"), body,
                    "X-Twilio-Email-Event-Webhook-Signature", "c2ln",
                    "X-Multi", "one", "X-Multi", "two"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            ReceivedRequest request = receiver.awaitRequests(1, TIMEOUT).get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/events?batch=7&to=a%40b");
            assertThat(request.body()).isEqualTo(body);
            assertThat(request.header("x-twilio-email-event-webhook-signature")).contains("c2ln");
            assertThat(request.header("X-TWILIO-EMAIL-EVENT-WEBHOOK-SIGNATURE")).contains("c2ln");
            assertThat(request.header("Content-Type")).contains("application/json");
            assertThat(request.header("x-absent")).isEmpty();
            assertThat(request.headerValues("x-multi")).containsExactly("one", "two");
            assertThat(request.headers()).containsKey("x-twilio-email-event-webhook-signature")
                    .containsEntry("content-length", List.of(String.valueOf(body.length)));
            assertThat(request.headers().keySet()).contains("x-multi", "content-type")
                    .allSatisfy(name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
            assertThat(request.receivedAt()).isBetween(before, Instant.now());
            assertThat(request.status()).isEqualTo(200);
            assertThat(receiver.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void bodyIsACopyAndBodyTextIsUtf8() throws Exception {
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start()) {
            send(post(receiver.url(), "[\"caf\u00e9\"]".getBytes(StandardCharsets.UTF_8)));
            ReceivedRequest request = receiver.awaitRequests(1, TIMEOUT).get(0);

            request.body()[0] = 'X';

            assertThat(request.bodyText()).isEqualTo("[\"caf\u00e9\"]");
            assertThat(request.body()[0]).isEqualTo((byte) '[');
            assertThatThrownBy(() -> request.headers().put("x", List.of()))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void answersTheScriptedSequenceThen200InArrivalOrder() throws Exception {
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().respondSequence(500, 503, 429).start()) {
            List<Integer> answered = new ArrayList<>();
            for (int attempt = 1; attempt <= 5; attempt++) {
                answered.add(send(post(receiver.url(), bytes("[" + attempt + "]"))).statusCode());
            }

            assertThat(answered).containsExactly(500, 503, 429, 200, 200);
            assertThat(receiver.requests()).extracting(ReceivedRequest::status).containsExactly(500, 503, 429, 200, 200);
            assertThat(receiver.requests()).extracting(ReceivedRequest::bodyText)
                    .containsExactly("[1]", "[2]", "[3]", "[4]", "[5]");
        }
    }

    @Test
    void respondAnswersEveryRequestAndFollowsASequence() throws Exception {
        try (TestWebhookReceiver down = TestWebhookReceiver.builder().respond(500).start();
             TestWebhookReceiver gone = TestWebhookReceiver.builder().respondSequence(503).respond(410).start()) {
            assertThat(send(post(down.url(), JSON)).statusCode()).isEqualTo(500);
            assertThat(send(post(down.url(), JSON)).statusCode()).isEqualTo(500);
            assertThat(send(post(gone.url(), JSON)).statusCode()).isEqualTo(503);
            assertThat(send(post(gone.url(), JSON)).statusCode()).isEqualTo(410);
        }
    }

    @Test
    void retryAfterGoesOnNon2xxAnswersOnly() throws Exception {
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder()
                .respondSequence(503, 429).retryAfter("120").start()) {
            HttpResponse<String> unavailable = send(post(receiver.url(), JSON));
            HttpResponse<String> tooMany = send(post(receiver.url(), JSON));
            HttpResponse<String> ok = send(post(receiver.url(), JSON));

            assertThat(unavailable.statusCode()).isEqualTo(503);
            assertThat(unavailable.headers().firstValue("Retry-After")).contains("120");
            assertThat(tooMany.statusCode()).isEqualTo(429);
            assertThat(tooMany.headers().firstValue("Retry-After")).contains("120");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Retry-After")).isEmpty();
        }
    }

    @Test
    void aDelayMakesAShortClientTimeoutFireAndCloseEndsItPromptly() throws Exception {
        TestWebhookReceiver receiver = TestWebhookReceiver.builder().delay(Duration.ofMinutes(1)).start();
        try {
            HttpRequest impatient = post(receiver.url(), JSON).timeout(Duration.ofMillis(300)).build();

            assertThatThrownBy(() -> CLIENT.send(impatient, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(HttpTimeoutException.class);
            // Recorded on arrival, before the delay: the sender did deliver, it just did not hear back.
            assertThat(receiver.awaitRequests(1, TIMEOUT)).hasSize(1);
            assertThat(receiver.inFlight()).isEqualTo(1);

            long start = System.nanoTime();
            receiver.close();
            Duration closing = Duration.ofNanos(System.nanoTime() - start);

            // Well under the minute, and under close()'s 2 s wait for handlers: the delay ended.
            assertThat(closing).isLessThan(Duration.ofMillis(1500));
            assertThat(receiver.inFlight()).isZero();
        } finally {
            receiver.close();
        }
    }

    @Test
    void closeDropsAConnectionWaitingOnADelayInsteadOfAnswering() throws Exception {
        TestWebhookReceiver receiver = TestWebhookReceiver.builder().delay(Duration.ofMinutes(1)).start();
        try {
            HttpRequest patient = post(receiver.url(), JSON).timeout(Duration.ofMinutes(1)).build();
            CompletableFuture<HttpResponse<Void>> response =
                    CLIENT.sendAsync(patient, HttpResponse.BodyHandlers.discarding());
            receiver.awaitRequests(1, TIMEOUT);

            receiver.close();

            // Long before the client's own minute: the connection ended, no status came.
            assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IOException.class);
        } finally {
            receiver.close();
        }
    }

    @Test
    void servesConcurrentRequestsConcurrently() {
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().delay(Duration.ofMinutes(1)).start()) {
            for (int i = 0; i < 5; i++) {
                CLIENT.sendAsync(post(receiver.url(), bytes("[" + i + "]")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }

            // Each is recorded before its delay; one thread at a time would record only the first.
            assertThat(receiver.awaitRequests(5, TIMEOUT)).hasSize(5);
            assertThat(receiver.inFlight()).isEqualTo(5);
        }
    }

    @Test
    void redirectAnswers302WithLocationAndANonFollowingClientStops() throws Exception {
        try (TestWebhookReceiver elsewhere = TestWebhookReceiver.builder().start();
             TestWebhookReceiver receiver = TestWebhookReceiver.builder().redirectTo(elsewhere.url()).start()) {
            HttpResponse<String> response = send(post(receiver.url(), JSON));

            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).contains(elsewhere.url());
            assertThat(receiver.requests()).extracting(ReceivedRequest::status).containsExactly(302);
            assertThat(elsewhere.requestCount()).isZero();
        }
    }

    @Test
    void redirectCatchesAClientThatFollowsRedirects() throws Exception {
        HttpClient following = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        try (TestWebhookReceiver elsewhere = TestWebhookReceiver.builder().start();
             TestWebhookReceiver receiver = TestWebhookReceiver.builder().redirectTo(elsewhere.url("/stolen")).start()) {
            following.send(post(receiver.url(), JSON).build(), HttpResponse.BodyHandlers.discarding());

            assertThat(elsewhere.awaitRequests(1, TIMEOUT)).extracting(ReceivedRequest::path).containsExactly("/stolen");
        }
    }

    @Test
    void awaitRequestsFailsWithWhatDidArrive() throws Exception {
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start()) {
            send(post(receiver.url(), JSON));

            assertThatThrownBy(() -> receiver.awaitRequests(2, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("at least 2")
                    .hasMessageContaining("received 1")
                    .hasMessageContaining("POST /hook -> 200");
        }
    }

    @Test
    void awaitRequestsFailsAtOnceWhenTheReceiverCloses() {
        TestWebhookReceiver receiver = TestWebhookReceiver.builder().start();
        CompletableFuture<List<ReceivedRequest>> waiting =
                CompletableFuture.supplyAsync(() -> receiver.awaitRequests(1, Duration.ofMinutes(1)));

        receiver.close();

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AssertionError.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closeReleasesThePortAndIsIdempotent() {
        TestWebhookReceiver receiver = TestWebhookReceiver.builder().start();
        String url = receiver.url();

        receiver.close();
        receiver.close();

        assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)))
                .isInstanceOf(ConnectException.class);
        assertThat(receiver.requestCount()).isZero();
    }

    @Test
    void builderRejectsWhatCannotBeAnswered() {
        assertThatThrownBy(() -> TestWebhookReceiver.builder().respond(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestWebhookReceiver.builder().respond(600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestWebhookReceiver.builder().respondSequence(500, 99))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestWebhookReceiver.builder().delay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestWebhookReceiver.builder().redirectTo("http://elsewhere/").respond(500).start())
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
