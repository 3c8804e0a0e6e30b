package io.letterlock.mail.mtasts;

import java.util.Collections;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PolicyStore} in this JVM's memory: for tests, and for an instance that may fetch every
 * policy again after a restart (the TLS check). Bounded when asked: past {@code maxDomains} the
 * policy used longest ago is forgotten, so callers who choose the domains cannot grow it forever.
 */
public final class InMemoryPolicyStore implements PolicyStore {

    private final Map<String, CachedPolicy> policies;

    /** Unbounded: one entry per domain that publishes MTA-STS. */
    public InMemoryPolicyStore() {
        this.policies = new ConcurrentHashMap<>();
    }

    /** At most {@code maxDomains} policies, the one used longest ago forgotten first. */
    public InMemoryPolicyStore(int maxDomains) {
        this.policies = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CachedPolicy> eldest) {
                return size() > maxDomains;
            }
        });
    }

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
