package io.letterlock.events.tlsrpt.send;

import io.letterlock.events.tlsrpt.report.TlsReportDocument.DateRange;
import io.letterlock.events.webhooks.http.HostResolver;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.mail.tls.TrustAnchors;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.net.AddressRange;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** https: submission of TLS reports, against real HTTPS receivers with a test CA's certificates. */
class HttpsReportSubmitterTest {

    private static final String HOST = "tlsrpt.example.com";
    private static final TestCa CA = TestCa.create("TLS-RPT Test CA");
    private static final AddressGuard ALLOW_LOOPBACK = new AddressGuard(List.of(AddressRange.parse("127.0.0.1/32")));
    private static final HostResolver TO_LOOPBACK = host -> new InetAddress[]{InetAddress.getByName("127.0.0.1")};
    private static final ReportFile REPORT = ReportFile.of("letterlock.example", "example.com",
            new DateRange("2026-12-02T00:00:00Z", "2026-12-02T23:59:59Z"),
            "{\"report-id\":\"2026-12-02_example.com@letterlock.example\"}".getBytes(StandardCharsets.UTF_8),
            Optional.empty());

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private WebhookHttpClient http(AddressGuard guard) throws Exception {
        return new WebhookHttpClient(vertx, guard, TO_LOOPBACK, 2, Clock.systemUTC(),
                TrustAnchors.trustManagerFactory(List.of(CA.certificate())));
    }

    private static TestWebhookReceiver.Builder receiver() {
        return TestWebhookReceiver.builder().tls(ServerCertificate.valid(CA, HOST).sslContext());
    }

    private static URI target(TestWebhookReceiver receiver) {
        return URI.create("https://" + HOST + ":" + receiver.port() + "/tlsrpt");
    }

    private static SubmissionOutcome submit(HttpsReportSubmitter submitter, URI target) throws Exception {
        return submitter.submit(target, REPORT).get(20, TimeUnit.SECONDS);
    }

    @Test
    void postsTheExactGzipBytesAsTlsRptGzipAndIsDeliveredOn2xx() throws Exception {
        try (TestWebhookReceiver receiver = receiver().respond(202).start();
             WebhookHttpClient http = http(ALLOW_LOOPBACK)) {
            SubmissionOutcome outcome = submit(new HttpsReportSubmitter(http, Duration.ofSeconds(5)), target(receiver));

            assertThat(outcome).isEqualTo(new SubmissionOutcome.Delivered(202));
            assertThat(receiver.requests()).singleElement().satisfies(request -> {
                assertThat(request.body()).isEqualTo(REPORT.gzipped());
                assertThat(request.header("Content-Type")).hasValue("application/tlsrpt+gzip");
            });
        }
    }

    @Test
    void serviceUnavailableIsRetriedAfterTheTargetsRetryAfter() throws Exception {
        try (TestWebhookReceiver receiver = receiver().respond(503).retryAfter("120").start();
             WebhookHttpClient http = http(ALLOW_LOOPBACK)) {
            SubmissionOutcome outcome = submit(new HttpsReportSubmitter(http, Duration.ofSeconds(5)), target(receiver));

            assertThat(outcome).isEqualTo(new SubmissionOutcome.Retry("HTTP 503", Optional.of(Duration.ofSeconds(120))));
        }
    }

    @Test
    void tooManyRequestsIsRetriedWithRetryAfterCapped() throws Exception {
        try (TestWebhookReceiver receiver = receiver().respond(429).retryAfter("86400").start();
             WebhookHttpClient http = http(ALLOW_LOOPBACK)) {
            SubmissionOutcome outcome = submit(
                    new HttpsReportSubmitter(http, Duration.ofSeconds(5), Duration.ofHours(1)), target(receiver));

            assertThat(outcome).isEqualTo(new SubmissionOutcome.Retry("HTTP 429", Optional.of(Duration.ofHours(1))));
        }
    }

    @Test
    void badRequestIsRefused() throws Exception {
        try (TestWebhookReceiver receiver = receiver().respond(400).start();
             WebhookHttpClient http = http(ALLOW_LOOPBACK)) {
            SubmissionOutcome outcome = submit(new HttpsReportSubmitter(http, Duration.ofSeconds(5)), target(receiver));

            assertThat(outcome).isEqualTo(new SubmissionOutcome.Refused("HTTP 400"));
        }
    }

    @Test
    void aLoopbackTargetWithoutTheAllowConfigIsRefusedWithoutBeingAsked() throws Exception {
        try (TestWebhookReceiver receiver = receiver().start();
             WebhookHttpClient http = http(new AddressGuard(List.of()))) {
            SubmissionOutcome outcome = submit(new HttpsReportSubmitter(http, Duration.ofSeconds(5)), target(receiver));

            assertThat(outcome).isInstanceOfSatisfying(SubmissionOutcome.Refused.class,
                    refused -> assertThat(refused.reason()).contains("127.0.0.1 is a loopback address"));
            assertThat(receiver.requestCount()).isZero();
        }
    }

    @Test
    void aTargetThatNeverAnswersIsRetriedAfterTheTimeout() throws Exception {
        // The receiver holds the request until it is closed: only the submitter's timeout ends the wait.
        try (TestWebhookReceiver receiver = receiver().delay(Duration.ofMinutes(5)).start();
             WebhookHttpClient http = http(ALLOW_LOOPBACK)) {
            long started = System.nanoTime();
            SubmissionOutcome outcome = submit(new HttpsReportSubmitter(http, Duration.ofMillis(500)), target(receiver));

            assertThat(outcome).isInstanceOfSatisfying(SubmissionOutcome.Retry.class, retry -> {
                assertThat(retry.reason()).contains("no complete answer within 500 ms");
                assertThat(retry.after()).isEmpty();
            });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(receiver.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aTargetThatIsNotHttpsIsRefused() throws Exception {
        try (WebhookHttpClient http = http(ALLOW_LOOPBACK)) {
            SubmissionOutcome outcome = submit(new HttpsReportSubmitter(http, Duration.ofSeconds(5)),
                    URI.create("http://" + HOST + "/tlsrpt"));

            assertThat(outcome).isInstanceOf(SubmissionOutcome.Refused.class);
        }
    }
}
