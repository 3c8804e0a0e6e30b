package io.letterlock.mail.mtasts;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PolicyStore} in this JVM's memory: for tests, and for a single instance that may fetch
 * every policy again after a restart. Not bounded: one entry per domain that publishes MTA-STS.
 */
public final class InMemoryPolicyStore implements PolicyStore {

    private final Map<String, CachedPolicy> policies = new ConcurrentHashMap<>();

    @Override
    public Optional<CachedPolicy> get(String domain) {
        return Optional.ofNullable(policies.get(domain));
    }

    @Override
    public void put(CachedPolicy policy) {
        policies.put(policy.domain(), policy);
    }

    @Override
    public void remove(String domain) {
        policies.remove(domain);
    }

    public int size() {
        return policies.size();
    }
}
