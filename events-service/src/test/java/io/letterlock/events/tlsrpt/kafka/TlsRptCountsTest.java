package io.letterlock.events.tlsrpt.kafka;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.events.tlsrpt.store.DomainDayResults;
import io.letterlock.events.tlsrpt.store.FailureDetail;
import io.letterlock.events.tlsrpt.store.PolicyResults;
import io.letterlock.events.tlsrpt.store.TlsRptResults;
import io.letterlock.events.views.query.InteractiveQueries;
import io.letterlock.events.views.query.StoresUnavailableException;
import io.letterlock.service.TopicNames;
import io.letterlock.testkit.config.MappedConfig;
import io.letterlock.testkit.files.Folders;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static io.letterlock.events.tlsrpt.TlsSessions.stsFailure;
import static io.letterlock.events.tlsrpt.TlsSessions.stsSuccess;
import static io.letterlock.events.tlsrpt.TlsSessions.tlsa;
import static io.letterlock.events.tlsrpt.TlsSessions.tlsaSuccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TLS-RPT sub-topology on the real broker, exactly once as events-service runs it: each
 * session counted once per policy domain, policy and UTC day, and the counts kept across a restart
 * on the same disk and rebuilt from the changelogs on a new one.
 */
class TlsRptCountsTest {

    private static final String DOMAIN = "company-y.example";
    private static final String OTHER = "other.example";
    // The last two whole UTC days, not fixed dates: the broker deletes changelog records older than
    // the stores' retention by their timestamps, and a day of 2024 vanished from a changelog before
    // the test rebuilt the stores from it (seen once in CI).
    private static final LocalDate DAY_1 = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    private static final LocalDate DAY_2 = DAY_1.plusDays(1);
    private static final Instant MORNING_1 = DAY_1.atTime(9, 0).toInstant(ZoneOffset.UTC);
    // Early on day 2: within day 1's grace, so day 1 still takes late sessions after it.
    private static final Instant EARLY_2 = DAY_2.atTime(1, 0).toInstant(ZoneOffset.UTC);

    private final String topic = TestKafka.uniqueTopic("tls-sessions");
    private final String applicationId = "tlsrpt-counts-" + UUID.randomUUID();
    private final List<Path> stateDirs = new ArrayList<>();
    private KafkaStreams streams;
    private TlsRptResults results;

    @BeforeEach
    void topic() {
        TestKafka.createTopics(Map.of(Topic.TLS_SESSIONS, topic), Optional.of(2));
    }

    @AfterEach
    void stop() throws IOException {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
        for (Path dir : stateDirs) {
            Folders.deleteRecursively(dir);
        }
    }

    @Test
    void countsEachSessionOnceAndKeepsTheCountsAcrossRestarts() throws IOException {
        Path disk = newStateDir();
        start(disk);
        TlsSessionResult twice = stsSuccess(DOMAIN, MORNING_1);
        TlsSessionResult expired = stsFailure(DOMAIN, MORNING_1, TlsRptResultType.CERTIFICATE_EXPIRED,
                "mx1.mail." + DOMAIN, null);
        publish(List.of(
                // Day 1, MTA-STS: 3 sessions succeeded (one published twice); 3 failed, two with the same facts.
                // 9 sessions of the domain in all.
                stsSuccess(DOMAIN, MORNING_1), stsSuccess(DOMAIN, MORNING_1), twice, twice,
                expired, withNewId(expired),
                stsFailure(DOMAIN, MORNING_1, TlsRptResultType.STARTTLS_NOT_SUPPORTED, "mx2.mail." + DOMAIN, null),
                // Day 1, DANE: 2 succeeded, 1 failed.
                tlsaSuccess(DOMAIN, MORNING_1), tlsaSuccess(DOMAIN, MORNING_1),
                tlsa(DOMAIN, MORNING_1, TlsRptResultType.TLSA_INVALID, "no-usable-tlsa"),
                stsSuccess(OTHER, MORNING_1),
                // Day 2: 1 succeeded, 1 failed validation.
                stsSuccess(DOMAIN, EARLY_2),
                stsFailure(DOMAIN, EARLY_2, TlsRptResultType.VALIDATION_FAILURE, "mx1.mail." + DOMAIN, "X509_ERR")));

        DomainDayResults day1 = awaitDay(DOMAIN, DAY_1, day -> day.sessions() == 9);
        assertThat(summary(day1)).containsExactly("sts 3/3", "tlsa 2/1");
        assertThat(day1.policies().get(0).failureDetails())
                .extracting(FailureDetail::resultType, FailureDetail::receivingMxHostname, FailureDetail::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TlsRptResultType.CERTIFICATE_EXPIRED, "mx1.mail." + DOMAIN, 2L),
                        org.assertj.core.groups.Tuple.tuple(TlsRptResultType.STARTTLS_NOT_SUPPORTED, "mx2.mail." + DOMAIN, 1L));
        DomainDayResults day2 = awaitDay(DOMAIN, DAY_2, day -> day.sessions() == 2);
        assertThat(summary(day2)).containsExactly("sts 1/1");
        assertThat(results.localDomains(DAY_1)).containsExactly(DOMAIN, OTHER);
        assertThat(results.localDomains(DAY_2)).containsExactly(DOMAIN);

        // Restart on the same disk: the counts are there, a seen session still counts once, a new one adds.
        restart(disk);
        assertThat(awaitDay(DOMAIN, DAY_1, day -> true)).isEqualTo(day1);
        publish(List.of(twice, stsFailure(DOMAIN, MORNING_1, TlsRptResultType.STARTTLS_NOT_SUPPORTED,
                "mx2.mail." + DOMAIN, null)));
        DomainDayResults later = awaitDay(DOMAIN, DAY_1, day -> day.sessions() == 10);
        assertThat(summary(later)).containsExactly("sts 3/4", "tlsa 2/1");

        // A new disk: the stores come back from their changelogs, the seen ids too.
        restart(newStateDir());
        assertThat(awaitDay(DOMAIN, DAY_1, day -> day.sessions() == 10)).isEqualTo(later);
        assertThat(awaitDay(DOMAIN, DAY_2, day -> true)).isEqualTo(day2);
        publish(List.of(twice, stsSuccess(DOMAIN, MORNING_1)));
        assertThat(summary(awaitDay(DOMAIN, DAY_1, day -> day.sessions() == 11))).containsExactly("sts 4/4", "tlsa 2/1");
    }

    private void start(Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        TlsRptTopology.addTo(builder, topic, Duration.ofHours(6), Duration.ofDays(7));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:1");
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // A stopped instance's tasks move within seconds, not after the default 45 s session timeout.
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "6000");
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), "1000");
        streams = new KafkaStreams(builder.build(), props);
        streams.start();
        results = new TlsRptResults(new InteractiveQueries(streams, "localhost:1"),
                MappedConfig.of(Map.of("letterlock.topics.tls-sessions", topic), TopicNames.class).get(TopicNames.class));
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    private void restart(Path stateDir) {
        streams.close(Duration.ofSeconds(30));
        start(stateDir);
    }

    private DomainDayResults awaitDay(String domain, LocalDate day, java.util.function.Predicate<DomainDayResults> done) {
        DomainDayResults[] last = new DomainDayResults[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreException(StoresUnavailableException.class)
                .until(() -> {
                    int partition = results.ownerOf(domain).partition();
                    last[0] = results.day(domain, day, partition).orElse(null);
                    return last[0] != null && done.test(last[0]);
                });
        return last[0];
    }

    private void publish(List<TlsSessionResult> sessions) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TlsSessionResult session : sessions) {
                // Keyed as delivery keys them: by policy domain.
                producer.send(new ProducerRecord<>(topic, session.policyDomain(), Json.toBytes(session)));
            }
            producer.flush();
        }
    }

    private Path newStateDir() throws IOException {
        Path dir = Files.createTempDirectory("tlsrpt-streams");
        stateDirs.add(dir);
        return dir;
    }

    /** Each policy as "type successful/failed". */
    private static List<String> summary(DomainDayResults day) {
        return day.policies().stream().map(TlsRptCountsTest::summary).toList();
    }

    private static String summary(PolicyResults policy) {
        return policy.policy().policyType().text() + " " + policy.successful() + "/" + policy.failed();
    }

    private static TlsSessionResult withNewId(TlsSessionResult session) {
        return new TlsSessionResult("s-" + UUID.randomUUID(), session.at(), session.policyDomain(), session.policyType(),
                session.policyStrings(), session.mxHostPatterns(), session.result(), session.sendingMtaIp(),
                session.receivingMxHostname(), session.receivingMxHelo(), session.receivingIp(),
                session.failureReasonCode(), session.additionalInformation());
    }
}
