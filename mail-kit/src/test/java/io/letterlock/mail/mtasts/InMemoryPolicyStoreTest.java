package io.letterlock.mail.mtasts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded store keeps caching when full, and keeps what mail keeps going to. */
class InMemoryPolicyStoreTest {

    private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

    private static CachedPolicy policy(String domain) {
        MtaStsPolicy policy = new MtaStsPolicy(PolicyMode.ENFORCE, List.of(MxPattern.parse("mx." + domain).orElseThrow()),
                Duration.ofDays(7), "version: STSv1");
        return CachedPolicy.fetched(domain, "id1", policy, NOW);
    }

    @Test
    void aFloodOfOneOffDomainsStaysWithinTheBoundAndTheBusyDomainsPolicySurvivesIt() {
        InMemoryPolicyStore store = new InMemoryPolicyStore(100);
        store.put(policy("busy.example"));

        for (int i = 0; i < 10_000; i++) {
            store.put(policy("flood-" + i + ".example"));
            store.get("busy.example");
        }

        assertThat(store.size()).isLessThanOrEqualTo(100);
        assertThat(store.get("busy.example")).as("the domain mail keeps going to").isPresent();
    }

    @Test
    void aFullStoreStillTakesANewDomainThatKeepsBeingUsed() {
        InMemoryPolicyStore store = new InMemoryPolicyStore(100);
        for (int i = 0; i < 1_000; i++) {
            store.put(policy("old-" + i + ".example"));
        }

        for (int round = 0; round < 50; round++) {
            store.put(policy("new.example"));
            store.get("new.example");
        }

        assertThat(store.get("new.example")).isPresent();
        assertThat(store.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void unboundedKeepsEveryDomainAndRemoveForgetsOne() {
        InMemoryPolicyStore store = new InMemoryPolicyStore();
        for (int i = 0; i < 1_000; i++) {
            store.put(policy("d-" + i + ".example"));
        }
        store.remove("d-7.example");

        assertThat(store.size()).isEqualTo(999);
        assertThat(store.get("d-7.example")).isEmpty();
        assertThat(store.get("d-8.example")).isPresent();
    }
}
