package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS-RPT (RFC 8460) from send-jobs to {@code letterlock.tls-sessions}: each session a job's attempt
 * opened with an MX host found through DNS is one record, keyed by the policy domain, classified as
 * RFC 8460 §4.3 says, written with the job's events in the worker's transaction. The account asks for
 * nothing (opportunistic TLS), so mail goes even where the session failed; the failure is still recorded.
 */
@TlsRptTest
class TlsSessionsTest {

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @ConfigProperty(name = "letterlock.topics.tls-sessions")
    String tlsSessions;

    /** Sends one job of an account that never set anything and waits until it is delivered. */
    private MailEvent deliver(String domain, String subject) {
        SendJob job = Mailbox.job("account-71", "rcpt@" + domain, subject);
        Mailbox.send(sendJobs, job);
        return Mailbox.awaitEvent(events, job, EventType.DELIVERED);
    }

    /**
     * The domain's committed records. The worker writes a job's sessions in the transaction of its
     * events, so once its delivered event can be read, so can every session it opened.
     */
    private List<ConsumerRecord<String, byte[]>> recordsOf(String domain) {
        return TestKafka.readAll(tlsSessions).stream().filter(r -> domain.equals(r.key())).toList();
    }

    private List<TlsSessionResult> sessionsOf(String domain) {
        return recordsOf(domain).stream().map(r -> Json.fromBytes(r.value(), TlsSessionResult.class)).toList();
    }

    private TlsSessionResult onlySessionOf(String domain) {
        List<TlsSessionResult> sessions = sessionsOf(domain);
        assertThat(sessions).as("sessions recorded for " + domain).hasSize(1);
        return sessions.get(0);
    }

    @Test
    void aSessionWithAValidCertificateIsOneSuccessOfNoPolicyFoundKeyedByTheDomain() {
        deliver(TlsRptWorld.VALID, "tls-rpt valid");

        List<ConsumerRecord<String, byte[]>> records = recordsOf(TlsRptWorld.VALID);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(TlsRptWorld.VALID);
        TlsSessionResult session = Json.fromBytes(records.get(0).value(), TlsSessionResult.class);
        assertThat(session.policyDomain()).isEqualTo(TlsRptWorld.VALID);
        assertThat(session.policyType()).isEqualTo(TlsRptPolicyType.NO_POLICY_FOUND);
        assertThat(session.policyStrings()).isEmpty();
        assertThat(session.result()).isEqualTo(TlsRptResultType.SUCCESS);
        assertThat(session.receivingMxHostname()).isEqualTo(TlsRptWorld.mxOf(TlsRptWorld.VALID));
        assertThat(session.receivingIp()).isEqualTo(TlsRptWorld.server(TlsRptWorld.VALID).host());
        assertThat(session.sendingMtaIp()).startsWith("127.");
        assertThat(session.receivingMxHelo()).isEqualTo(TlsRptWorld.mxOf(TlsRptWorld.VALID));
        assertThat(session.failureReasonCode()).isNull();
    }

    @Test
    void anExpiredCertificateIsRecordedAsCertificateExpiredThoughOpportunisticTlsDelivers() {
        MailEvent delivered = deliver(TlsRptWorld.EXPIRED, "tls-rpt expired");

        assertThat(delivered.tls()).isEqualTo(1);
        assertThat(delivered.certErr()).isEqualTo(1);
        TlsSessionResult session = onlySessionOf(TlsRptWorld.EXPIRED);
        assertThat(session.result()).isEqualTo(TlsRptResultType.CERTIFICATE_EXPIRED);
        assertThat(session.policyType()).isEqualTo(TlsRptPolicyType.NO_POLICY_FOUND);
        assertThat(session.receivingIp()).isEqualTo("127.0.0.2");
    }

    @Test
    void aSelfSignedCertificateIsRecordedAsCertificateNotTrustedThoughOpportunisticTlsDelivers() {
        deliver(TlsRptWorld.SELF_SIGNED, "tls-rpt self-signed");

        TlsSessionResult session = onlySessionOf(TlsRptWorld.SELF_SIGNED);
        assertThat(session.result()).isEqualTo(TlsRptResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(session.receivingIp()).isEqualTo("127.0.0.3");
    }

    @Test
    void aCertificateForAnotherNameIsRecordedAsCertificateHostMismatchThoughOpportunisticTlsDelivers() {
        deliver(TlsRptWorld.WRONG_NAME, "tls-rpt wrong name");

        TlsSessionResult session = onlySessionOf(TlsRptWorld.WRONG_NAME);
        assertThat(session.result()).isEqualTo(TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(session.receivingMxHostname()).isEqualTo(TlsRptWorld.mxOf(TlsRptWorld.WRONG_NAME));
        assertThat(session.receivingIp()).isEqualTo("127.0.0.4");
    }

    @Test
    void anMxWithoutStartTlsIsRecordedAsStartTlsNotSupportedThoughOpportunisticTlsDeliversInCleartext() {
        MailEvent delivered = deliver(TlsRptWorld.NO_STARTTLS, "tls-rpt no starttls");

        assertThat(delivered.tls()).isZero();
        assertThat(TlsRptWorld.server(TlsRptWorld.NO_STARTTLS).received())
                .anyMatch(m -> m.text().contains("Subject: tls-rpt no starttls"));
        TlsSessionResult session = onlySessionOf(TlsRptWorld.NO_STARTTLS);
        assertThat(session.result()).isEqualTo(TlsRptResultType.STARTTLS_NOT_SUPPORTED);
        assertThat(session.policyType()).isEqualTo(TlsRptPolicyType.NO_POLICY_FOUND);
        assertThat(session.receivingIp()).isEqualTo("127.0.0.5");
    }

    @Test
    void fiveJobsOverOneReusedConnectionAreOneSession() {
        // One after the other, so each finds the previous one's session idle in the pool (RFC 8460
        // §4.2 counts sessions, not messages).
        for (int i = 1; i <= 5; i++) {
            deliver(TlsRptWorld.REUSED, "tls-rpt reused " + i);
        }

        assertThat(TlsRptWorld.server(TlsRptWorld.REUSED).transactionCount()).isEqualTo(5);
        assertThat(TlsRptWorld.server(TlsRptWorld.REUSED).connectionCount()).isEqualTo(1);
        assertThat(onlySessionOf(TlsRptWorld.REUSED).result()).isEqualTo(TlsRptResultType.SUCCESS);
    }

    @Test
    void everySessionHasItsOwnIdAndWasWrittenInATransaction() throws Exception {
        deliver(TlsRptWorld.VALID, "tls-rpt ids 1");
        deliver(TlsRptWorld.SELF_SIGNED, "tls-rpt ids 2");
        deliver(TlsRptWorld.NO_STARTTLS, "tls-rpt ids 3");

        // TestKafka reads read_committed: what it sees, a transaction committed.
        List<ConsumerRecord<String, byte[]>> records = TestKafka.readAll(tlsSessions);
        List<String> ids = records.stream()
                .map(r -> Json.fromBytes(r.value(), TlsSessionResult.class).sessionId()).toList();
        assertThat(ids).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
        // read_committed would see records written outside a transaction too; the broker knows
        // which producers wrote each partition, and only a transactional one has a coordinator epoch
        // (set by the commit marker it wrote).
        Set<TopicPartition> partitions = records.stream()
                .map(r -> new TopicPartition(r.topic(), r.partition())).collect(Collectors.toSet());
        try (Admin admin = TestKafka.admin()) {
            List<ProducerState> producers = new ArrayList<>();
            admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS)
                    .values().forEach(description -> producers.addAll(description.activeProducers()));
            assertThat(producers).isNotEmpty()
                    .allSatisfy(producer -> assertThat(producer.coordinatorEpoch())
                            .as("coordinator epoch of producer " + producer.producerId()).isPresent());
        }
    }
}
