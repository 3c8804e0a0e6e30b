package io.letterlock.policy.views;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.Topics;
import io.letterlock.policy.enforcedtls.TlsSettingsPatch;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of policy-service writing the same account's settings, as two PATCHes or PUTs
 * that a load balancer sent to different pods: no write may silently undo another.
 */
class ConcurrentReplicaWritesTest {

    private static final int ROUNDS = 20;
    private static final Duration WRITE_WAIT = Duration.ofSeconds(30);

    private Map<String, String> topicConfig;
    private PolicyReplica first;
    private PolicyReplica second;
    private ExecutorService clients;

    @BeforeEach
    void twoReplicasOnTheSameTopics() {
        clients = Executors.newFixedThreadPool(2);
        topicConfig = LetterlockTopics.uniqueTopicConfig();
        first = PolicyReplica.start(topicConfig);
        second = PolicyReplica.start(topicConfig);
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        for (PolicyReplica replica : new PolicyReplica[] {first, second}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    @Test
    void partialPatchesOnTwoReplicasAtOnceKeepBothChanges() throws Exception {
        String account = "acct-concurrent";
        CyclicBarrier together = new CyclicBarrier(2);
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            boolean value = round % 2 == 0;
            // One client flips require_tls on the first replica while another flips
            // require_valid_cert on the second; each PATCH leaves the other field alone.
            Future<TlsSettings> tls = clients.submit(() -> {
                together.await();
                return first.settings.update(account, patch(Optional.of(value), Optional.empty()));
            });
            Future<TlsSettings> cert = clients.submit(() -> {
                together.await();
                return second.settings.update(account, patch(Optional.empty(), Optional.of(value)));
            });
            assertThat(tls.get(WRITE_WAIT.toSeconds(), TimeUnit.SECONDS).requireTls()).isEqualTo(value);
            assertThat(cert.get(WRITE_WAIT.toSeconds(), TimeUnit.SECONDS).requireValidCert()).isEqualTo(value);

            TlsSettings stored = latestSettings(account);
            if (stored.requireTls() != value || stored.requireValidCert() != value) {
                lost.add("round " + round + ": both set to " + value + ", Kafka holds require_tls="
                        + stored.requireTls() + " require_valid_cert=" + stored.requireValidCert());
            }
        }
        assertThat(lost).as("rounds in which one replica's PATCH reverted the other's").isEmpty();

        boolean last = (ROUNDS - 1) % 2 == 0;
        for (PolicyReplica replica : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                TlsSettings seen = replica.settings.get(account);
                assertThat(seen.requireTls()).isEqualTo(last);
                assertThat(seen.requireValidCert()).isEqualTo(last);
            });
        }
    }

    @Test
    void replicaThatAnotherReplicaFencedKeepsWritingAndKeepsTheOthersChange() {
        String account = "acct-fenced";
        first.settings.update(account, patch(Optional.of(true), Optional.empty()));
        // The second replica now writes the same partition: from here on the first replica's
        // producer for it is fenced.
        second.settings.update(account, patch(Optional.empty(), Optional.of(true)));

        TlsSettings afterFence = first.settings.update(account, patch(Optional.of(false), Optional.empty()));

        assertThat(afterFence.requireTls()).isFalse();
        assertThat(afterFence.requireValidCert()).as("the second replica's change").isTrue();
        assertThat(first.settings.get(account)).as("read your write on the same replica").isEqualTo(afterFence);
        TlsSettings stored = latestSettings(account);
        assertThat(stored.requireTls()).isFalse();
        assertThat(stored.requireValidCert()).isTrue();

        // And the second replica, fenced in turn, writes on top of it.
        TlsSettings again = second.settings.update(account, patch(Optional.empty(), Optional.of(false)));
        assertThat(again.requireTls()).isFalse();
        assertThat(again.requireValidCert()).isFalse();
        assertThat(latestSettings(account)).isEqualTo(again);
    }

    @Test
    void domainPolicyPutOnOneReplicaIsStoredAfterAnotherReplicaChangedIt() {
        String account = "acct-domains";
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            // Each replica in turn puts its mode right after the other put the other mode, before
            // its own view need have seen that: "already verify here" must not skip the write.
            PolicyReplica replica = round % 2 == 0 ? first : second;
            DomainTlsMode mode = round % 2 == 0 ? DomainTlsMode.VERIFY : DomainTlsMode.NONE;
            DomainPolicy answered = replica.domainPolicies.put(account, "bank.example", mode);
            assertThat(answered.mode()).isEqualTo(mode);
            Optional<DomainPolicy> stored = latestDomainPolicy(account, "bank.example");
            if (stored.map(DomainPolicy::mode).orElse(null) != mode) {
                lost.add("round " + round + ": put " + mode + ", Kafka holds " + stored.map(DomainPolicy::mode));
            }
        }
        assertThat(lost).as("PUTs answered 200 that Kafka does not hold").isEmpty();
    }

    @Test
    void domainPolicyDeleteOnOneReplicaFindsAPolicyJustPutOnAnother() {
        String account = "acct-deletes";
        List<String> missed = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String domain = "d" + round + ".example";
            first.domainPolicies.put(account, domain, DomainTlsMode.ENCRYPT);
            if (!second.domainPolicies.delete(account, domain)) {
                missed.add(domain);
            }
            if (latestDomainPolicy(account, domain).isPresent()) {
                missed.add(domain + " (still stored)");
            }
        }
        assertThat(missed).as("DELETEs that answered 404 for a policy Kafka held").isEmpty();
    }

    private static TlsSettingsPatch patch(Optional<Boolean> requireTls, Optional<Boolean> requireValidCert) {
        return new TlsSettingsPatch(requireTls, requireValidCert, Optional.empty());
    }

    /** The account's settings as a read_committed consumer of the topic sees them now. */
    private TlsSettings latestSettings(String account) {
        return latest(topicConfig.get("letterlock.topics.tls-settings"), account)
                .map(value -> Json.fromBytes(value, TlsSettings.class))
                .orElseThrow(() -> new AssertionError("no settings stored for " + account));
    }

    private Optional<DomainPolicy> latestDomainPolicy(String account, String domain) {
        return latest(topicConfig.get("letterlock.topics.domain-policies"), Topics.domainPolicyKey(account, domain))
                .map(value -> Json.fromBytes(value, DomainPolicy.class));
    }

    /** The value of the key's last committed record; empty when there is none or it is a tombstone. */
    private static Optional<byte[]> latest(String topic, String key) {
        byte[] value = null;
        for (ConsumerRecord<String, byte[]> record : TopicRecords.committed(topic)) {
            if (key.equals(record.key())) {
                value = record.value();
            }
        }
        return Optional.ofNullable(value);
    }
}
