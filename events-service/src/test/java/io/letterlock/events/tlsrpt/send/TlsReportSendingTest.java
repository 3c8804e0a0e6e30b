package io.letterlock.events.tlsrpt.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.events.tlsrpt.TlsSessions;
import io.letterlock.events.tlsrpt.store.DomainDayResults;
import io.letterlock.events.tlsrpt.store.TlsRptResults;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.ReceivedHttpRequest;
import io.letterlock.testkit.kafka.TestKafka;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static io.letterlock.events.tlsrpt.send.TlsReportSendingProfile.SUBMITTER;
import static io.letterlock.events.tlsrpt.send.TlsReportSendingProfile.TODAY;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.BY_HTTPS;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.BY_MAIL;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.FLAKY;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.FLAKY_PATH;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.HTTPS_PATH;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.MAIL_TARGET;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.SILENT;
import static io.letterlock.events.tlsrpt.send.TlsReportWorld.collector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daily TLS reports sent end to end (RFC 8460 §5.3): sessions on letterlock.tls-sessions as
 * delivery writes them, counted by the Streams application, planned once the day and its grace are
 * over, the targets read from each domain's {@code _smtp._tls} record over real DNS, POSTed gzipped
 * to a real HTTPS collector, or queued as a multipart/report send job for a mailto: target. Each
 * report reaches each target once; a collector failing once gets the report on the next try; a
 * domain without a record gets nothing.
 */
@EventsServiceTest
@TestProfile(TlsReportSendingProfile.class)
class TlsReportSendingTest {

    /**
     * When the sessions happened: today, and never later than now. The counting writes its changelog
     * with the sessions' times, and the broker refuses records more than an hour ahead of its clock
     * (log.message.timestamp.after.max.ms): a fixed 09:00 failed every run before 08:00 UTC.
     */
    private static final Instant MORNING = TODAY.atStartOfDay(ZoneOffset.UTC).plusSeconds(1).toInstant();
    private static final String MX = "mx.example-mx.test";

    @Inject
    TlsRptResults results;
    @ConfigProperty(name = "letterlock.topics.tls-sessions")
    String sessionsTopic;
    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobsTopic;

    private static boolean published;

    /** The flaky collector answers 503 until it has had one request, then 200. */
    private static void flakyCollectorRecoversAfterItsFirstFailure() {
        Thread watcher = new Thread(() -> {
            await().atMost(Duration.ofMinutes(3)).until(() -> collector.requestCount(FLAKY_PATH) >= 1);
            collector.respond(FLAKY_PATH, HttpReply.status(200, "OK"));
        }, "flaky-collector");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void publishOnce() {
        if (published) {
            return;
        }
        published = true;
        flakyCollectorRecoversAfterItsFirstFailure();
        List<TlsSessionResult> sessions = new ArrayList<>();
        // Every kind of result delivery writes, under the three policy types.
        for (int i = 0; i < 3; i++) {
            sessions.add(noPolicy(BY_HTTPS, TlsRptResultType.SUCCESS, null));
        }
        sessions.add(noPolicy(BY_HTTPS, TlsRptResultType.STARTTLS_NOT_SUPPORTED, null));
        sessions.add(noPolicy(BY_HTTPS, TlsRptResultType.CERTIFICATE_EXPIRED, "X509_V_ERR_CERT_HAS_EXPIRED"));
        sessions.add(noPolicy(BY_HTTPS, TlsRptResultType.CERTIFICATE_HOST_MISMATCH, null));
        sessions.add(noPolicy(BY_HTTPS, TlsRptResultType.CERTIFICATE_NOT_TRUSTED, null));
        sessions.add(noPolicy(BY_HTTPS, TlsRptResultType.CERTIFICATE_NOT_TRUSTED, null));
        sessions.add(TlsSessions.stsSuccess(BY_HTTPS, MORNING));
        for (TlsRptResultType sts : List.of(TlsRptResultType.STS_POLICY_FETCH_ERROR, TlsRptResultType.STS_POLICY_INVALID,
                TlsRptResultType.STS_WEBPKI_INVALID, TlsRptResultType.VALIDATION_FAILURE)) {
            sessions.add(TlsSessions.stsFailure(BY_HTTPS, MORNING, sts, MX, null));
        }
        sessions.add(TlsSessions.tlsaSuccess(BY_HTTPS, MORNING));
        for (TlsRptResultType dane : List.of(TlsRptResultType.TLSA_INVALID, TlsRptResultType.DNSSEC_INVALID,
                TlsRptResultType.DANE_REQUIRED)) {
            sessions.add(TlsSessions.tlsa(BY_HTTPS, MORNING, dane, null));
        }
        // A session written twice (a producer's retry) counts once.
        sessions.add(sessions.get(0));
        sessions.add(noPolicy(BY_MAIL, TlsRptResultType.SUCCESS, null));
        sessions.add(noPolicy(BY_MAIL, TlsRptResultType.CERTIFICATE_EXPIRED, null));
        sessions.add(noPolicy(FLAKY, TlsRptResultType.SUCCESS, null));
        sessions.add(noPolicy(SILENT, TlsRptResultType.STARTTLS_NOT_SUPPORTED, null));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TlsSessionResult session : sessions) {
                producer.send(new ProducerRecord<>(sessionsTopic, session.policyDomain(), Json.toBytes(session)));
            }
            producer.flush();
        }
        // Today closes only once every session is counted (a copy counts once): a day is planned once,
        // and planned while sessions were still on their way it would miss them.
        Map<String, Integer> expected = sessions.stream().collect(Collectors.groupingBy(TlsSessionResult::policyDomain,
                Collectors.collectingAndThen(Collectors.mapping(TlsSessionResult::sessionId, Collectors.toSet()),
                        Set::size)));
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> expected.entrySet().stream()
                .allMatch(domain -> counted(domain.getKey()) == domain.getValue()));
        TomorrowMorningClock.moveToTomorrowMorning();
    }

    private long counted(String domain) {
        return results.day(domain, TODAY, results.ownerOf(domain).partition()).map(DomainDayResults::sessions)
                .orElse(0L);
    }

    @Test
    void anHttpsCollectorGetsTheDaysCountsGzippedOnce() throws Exception {
        publishOnce();
        await().atMost(Duration.ofMinutes(2)).until(() -> collector.requestCount(HTTPS_PATH) >= 1);

        ReceivedHttpRequest post = collector.requests().stream().filter(r -> r.target().equals(HTTPS_PATH))
                .findFirst().orElseThrow();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.header("Content-Type")).contains("application/tlsrpt+gzip");
        assertThat(post.header("User-Agent")).contains(HttpsReportSubmitter.USER_AGENT);
        JsonNode report = Json.mapper().readTree(gunzip(post.body()));
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("classpath:schemas/rfc8460-report.schema.json"),
                        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build())
                .validate(report)).isEmpty();
        assertThat(report.path("organization-name").asText()).isEqualTo("Letterlock Test");
        assertThat(report.path("contact-info").asText()).isEqualTo(TlsReportSendingProfile.CONTACT);
        assertThat(report.path("report-id").asText()).isEqualTo(TODAY + "_" + BY_HTTPS + "@" + SUBMITTER);
        assertThat(report.path("date-range").path("start-datetime").asText()).isEqualTo(TODAY + "T00:00:00Z");
        assertThat(report.path("date-range").path("end-datetime").asText()).isEqualTo(TODAY + "T23:59:59Z");

        Map<String, JsonNode> policies = byType(report);
        assertThat(policies.keySet()).containsExactlyInAnyOrder("no-policy-found", "sts", "tlsa");
        assertSummary(policies.get("no-policy-found"), 3, 5);
        assertThat(failures(policies.get("no-policy-found"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "starttls-not-supported", 1, "certificate-expired", 1, "certificate-host-mismatch", 1,
                "certificate-not-trusted", 2));
        assertSummary(policies.get("sts"), 1, 4);
        assertThat(failures(policies.get("sts"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sts-policy-fetch-error", 1, "sts-policy-invalid", 1, "sts-webpki-invalid", 1, "validation-failure", 1));
        assertSummary(policies.get("tlsa"), 1, 3);
        assertThat(failures(policies.get("tlsa"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "tlsa-invalid", 1, "dnssec-invalid", 1, "dane-required", 1));

        // Planned once, sent once: later looks for due days find the day planned.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> collector.requestCount(HTTPS_PATH) == 1);
    }

    @Test
    void aCollectorThatFailedGetsTheReportOnTheNextTry() {
        publishOnce();
        await().atMost(Duration.ofMinutes(2)).until(() -> collector.requestCount(FLAKY_PATH) >= 2);
        List<ReceivedHttpRequest> posts = collector.requests().stream().filter(r -> r.target().equals(FLAKY_PATH))
                .toList();
        // The same report both times: the collector can tell the copy by its report-id.
        assertThat(posts).extracting(post -> reportId(post.body())).containsOnly(TODAY + "_" + FLAKY + "@" + SUBMITTER);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> collector.requestCount(FLAKY_PATH) == 2);
    }

    @Test
    void aMailtoTargetGetsAMultipartReportSendJob() throws Exception {
        publishOnce();
        List<SendJob> jobs = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "group.id", "tls-report-jobs-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(sendJobsTopic));
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    SendJob job = Json.fromBytes(record.value(), SendJob.class);
                    if (job.accountId().equals(TlsReportSendingProfile.ACCOUNT)) {
                        jobs.add(job);
                    }
                }
                return !jobs.isEmpty();
            });
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    SendJob job = Json.fromBytes(record.value(), SendJob.class);
                    if (job.accountId().equals(TlsReportSendingProfile.ACCOUNT)) {
                        jobs.add(job);
                    }
                }
                return jobs.size() == 1;
            });
        }
        SendJob job = jobs.get(0);
        String reportId = TODAY + "_" + BY_MAIL + "@" + SUBMITTER;
        assertThat(job.to().email()).isEqualTo(MAIL_TARGET);
        assertThat(job.from().email()).isEqualTo("tlsrpt@" + SUBMITTER);
        assertThat(job.subject()).isEqualTo("Report Domain: " + BY_MAIL + " Submitter: " + SUBMITTER
                + " Report-ID: <" + reportId + ">");
        assertThat(job.headers()).containsEntry("TLS-Report-Domain", BY_MAIL)
                .containsEntry("TLS-Report-Submitter", SUBMITTER).containsEntry("TLS-Required", "No");
        assertThat(job.reportType()).isEqualTo("tlsrpt");
        assertThat(job.attachments()).hasSize(1);
        MailAttachment file = job.attachments().get(0);
        assertThat(file.type()).isEqualTo("application/tlsrpt+gzip");
        long begin = TODAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        assertThat(file.filename()).isEqualTo(SUBMITTER + "!" + BY_MAIL + "!" + begin + "!" + (begin + 86_399) + ".json.gz");
        JsonNode report = Json.mapper().readTree(gunzip(Base64.getDecoder().decode(file.content())));
        assertThat(report.path("report-id").asText()).isEqualTo(reportId);
        assertSummary(byType(report).get("no-policy-found"), 1, 1);
    }

    @Test
    void aDomainWithoutARecordGetsNoReport() {
        publishOnce();
        // Its report was planned and its record asked for; the answer was that there is none.
        await().atMost(Duration.ofMinutes(2))
                .until(() -> TlsReportWorld.dns.queryCount("_smtp._tls." + SILENT, Type.TXT) >= 1);
        await().atMost(Duration.ofMinutes(2)).until(() -> collector.requestCount(HTTPS_PATH) >= 1);
        assertThat(collector.requests()).extracting(ReceivedHttpRequest::body)
                .noneMatch(body -> reportId(body).contains(SILENT));
    }

    private static TlsSessionResult noPolicy(String domain, TlsRptResultType result, String reasonCode) {
        return TlsSessions.session(domain, MORNING, TlsRptPolicyType.NO_POLICY_FOUND, result, MX, reasonCode, null);
    }

    private static Map<String, JsonNode> byType(JsonNode report) {
        Map<String, JsonNode> policies = new HashMap<>();
        report.path("policies").forEach(policy -> policies.put(policy.path("policy").path("policy-type").asText(), policy));
        return policies;
    }

    private static void assertSummary(JsonNode policy, int successful, int failed) {
        assertThat(policy.path("summary").path("total-successful-session-count").asInt()).isEqualTo(successful);
        assertThat(policy.path("summary").path("total-failure-session-count").asInt()).isEqualTo(failed);
    }

    private static Map<String, Integer> failures(JsonNode policy) {
        Map<String, Integer> counts = new HashMap<>();
        policy.path("failure-details").forEach(row -> counts.merge(row.path("result-type").asText(),
                row.path("failed-session-count").asInt(), Integer::sum));
        return counts;
    }

    private static String reportId(byte[] gzipped) {
        try {
            return Json.mapper().readTree(gunzip(gzipped)).path("report-id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }
}
