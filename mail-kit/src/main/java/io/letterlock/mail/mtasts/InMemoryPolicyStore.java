package io.letterlock.mail.mtasts;

import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PolicyStore} in this JVM's memory: for tests, and for an instance that may fetch every
 * policy again after a restart (the TLS check). Bounded when asked: past {@code maxDomains} the
 * policies least likely to be used again are forgotten (Caffeine's size bound, as the route cache),
 * so callers who choose the domains cannot grow it forever, and a flood of one-off domains does not
 * push out the policies of the domains mail keeps going to.
 */
public final class InMemoryPolicyStore implements PolicyStore {

    private final Map<String, CachedPolicy> policies;

    /** Unbounded: one entry per domain that publishes MTA-STS. */
    public InMemoryPolicyStore() {
        this.policies = new ConcurrentHashMap<>();
    }

    /** About {@code maxDomains} policies at most; past it, those least likely to be used again go. */
    public InMemoryPolicyStore(int maxDomains) {
        this.policies = Caffeine.newBuilder().maximumSize(maxDomains).executor(Runnable::run)
                .<String, CachedPolicy>build().asMap();
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
