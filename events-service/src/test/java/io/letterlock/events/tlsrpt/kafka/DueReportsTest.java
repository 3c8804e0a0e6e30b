package io.letterlock.events.tlsrpt.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.events.tlsrpt.TlsSessions;
import io.letterlock.events.tlsrpt.report.TlsRptSettings;
import io.letterlock.events.tlsrpt.send.PendingReport;
import io.letterlock.events.views.kafka.JsonSerde;
import io.letterlock.testkit.time.SettableClock;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a closed day is planned (RFC 8460 §4.1's reports, each day once): only once the task has
 * counted what its partition holds of the day. Kafka Streams' test driver runs the topology with
 * the wall clock in the test's hands, so "a punctuation while sessions are still coming in" is
 * exact, not a race: that is an instance back after an outage longer than the grace, reading the
 * sessions delivery wrote while it was away.
 */
class DueReportsTest {

    private static final Duration GRACE = Duration.ofHours(6);
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final LocalDate DAY = LocalDate.of(2026, 11, 30);
    private static final Instant IN_THE_DAY = DAY.atTime(15, 0).toInstant(ZoneOffset.UTC);
    /** The day's window closed (its end plus the grace) an hour ago, by the service's clock. */
    private static final Instant NOW = DAY.plusDays(1).atTime(7, 0).toInstant(ZoneOffset.UTC);
    private static final String DOMAIN = "company-y.example";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<String, TlsSessionResult> sessions;
    private TestOutputTopic<String, PendingReport> reports;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        TlsRptTopology.addTo(builder, "sessions", GRACE, Duration.ofDays(3), Optional.of(new TlsRptTopology.Planning(
                "reports", new TlsRptSettings("Letterlock Test", "mailto:tls@letterlock.test", "letterlock.test"),
                INTERVAL, new SettableClock(NOW))));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "due-reports-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(builder.build(), config, NOW);
        sessions = driver.createInputTopic("sessions", new StringSerializer(), new TlsSessionSerde().serializer());
        reports = driver.createOutputTopic("reports", new StringDeserializer(),
                new JsonSerde<>(PendingReport.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aClosedDayWaitsWhileSessionsAreStillComingInAndIsPlannedWithAllOfThem() {
        session(IN_THE_DAY);
        driver.advanceWallClockTime(INTERVAL.minusMinutes(1));
        session(IN_THE_DAY.plusSeconds(1));
        driver.advanceWallClockTime(Duration.ofMinutes(1)); // a punctuation, a minute after a session
        assertThat(reports.isEmpty()).as("planned while the backlog was being read").isTrue();

        driver.advanceWallClockTime(Duration.ofMinutes(5));
        session(IN_THE_DAY.plusSeconds(2));
        driver.advanceWallClockTime(Duration.ofMinutes(5)); // the next punctuation, five minutes after one
        assertThat(reports.isEmpty()).isTrue();

        driver.advanceWallClockTime(INTERVAL); // fifteen minutes without a session: all read
        PendingReport report = reports.readValue();
        assertThat(report.day()).isEqualTo(DAY.toString());
        assertThat(successfulSessions(report)).isEqualTo(3);
        driver.advanceWallClockTime(INTERVAL.multipliedBy(3));
        assertThat(reports.isEmpty()).as("a day is planned once").isTrue();
    }

    @Test
    void aSessionFromAfterTheWindowShowsTheDayIsCountedWithoutWaitingForQuiet() {
        session(IN_THE_DAY);
        driver.advanceWallClockTime(INTERVAL.minusMinutes(1));
        session(IN_THE_DAY.plusSeconds(1));
        // The next day's session, after the first day's window: every earlier session is counted.
        session(DAY.plusDays(1).atTime(6, 30).toInstant(ZoneOffset.UTC));
        driver.advanceWallClockTime(Duration.ofMinutes(1)); // a punctuation, a minute after a session

        PendingReport report = reports.readValue();
        assertThat(report.day()).isEqualTo(DAY.toString());
        assertThat(successfulSessions(report)).isEqualTo(2);
    }

    @Test
    void anInstanceWithNothingToReadPlansAtItsFirstPunctuation() {
        session(IN_THE_DAY);
        driver.advanceWallClockTime(INTERVAL);

        assertThat(successfulSessions(reports.readValue())).isEqualTo(1);
    }

    private void session(Instant at) {
        TlsSessionResult session = TlsSessions.session(DOMAIN, at, TlsRptPolicyType.NO_POLICY_FOUND,
                TlsRptResultType.SUCCESS, "mx.company-y.example", null, null);
        sessions.pipeInput(DOMAIN, session, at);
    }

    private static long successfulSessions(PendingReport report) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(report.file().gzipped()))) {
            JsonNode json = JSON.readTree(in);
            long successful = 0;
            for (JsonNode policy : json.path("policies")) {
                successful += policy.path("summary").path("total-successful-session-count").asLong();
            }
            return successful;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
