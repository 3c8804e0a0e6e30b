package io.letterlock.policy.store;

import io.letterlock.service.kafka.AccountLocks;
import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each account's per-recipient-domain TLS policies, read from the view and written through Kafka. */
@ApplicationScoped
public class DomainPolicyStore {

    private final PolicyTopics topics;
    private final AccountLocks locks = new AccountLocks();
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    public DomainPolicyStore(PolicyTopics topics, MeterRegistry meters) {
        this.topics = topics;
        this.meters = meters;
    }

    /** @param domain a normalised recipient domain (A-label) */
    public Optional<DomainPolicy> get(String accountId, String domain) {
        return topics.domainPolicies().get(Topics.domainPolicyKey(accountId, domain));
    }

    /** The account's policies ordered by domain. */
    public List<DomainPolicy> list(String accountId) {
        // Keys are "account/domain" and account ids cannot contain '/', so the prefix is exact.
        return List.copyOf(topics.domainPolicies().withPrefix(accountId + "/").values());
    }

    public DomainPolicy put(String accountId, String domain, DomainTlsMode mode) {
        String key = Topics.domainPolicyKey(accountId, domain);
        synchronized (locks.lockFor(key)) {
            Optional<DomainPolicy> current = get(accountId, domain);
            if (current.isPresent() && current.get().mode() == mode) {
                return current.get();
            }
            DomainPolicy policy = new DomainPolicy(accountId, domain, mode, Instant.now(clock));
            meters.timer("letterlock.policy.writes", "kind", "domain_policy")
                    .record(() -> topics.writeDomainPolicy(key, policy));
            return policy;
        }
    }

    /** @return false when there was no policy to delete */
    public boolean delete(String accountId, String domain) {
        String key = Topics.domainPolicyKey(accountId, domain);
        synchronized (locks.lockFor(key)) {
            if (get(accountId, domain).isEmpty()) {
                return false;
            }
            meters.timer("letterlock.policy.writes", "kind", "domain_policy_delete")
                    .record(() -> topics.writeDomainPolicy(key, null));
            return true;
        }
    }
}
