package io.letterlock.policy.domains;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.Topics;
import io.letterlock.policy.views.PolicyTopics;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each account's per-recipient-domain TLS policies, read from the view and written through Kafka.
 * A PUT of the mode already stored and a DELETE of a policy not stored write nothing; "stored" is
 * judged from every replica's writes (the writer catches the view up first), not from a view that
 * may not have seen another replica's last write yet.
 */
@ApplicationScoped
public class DomainPolicyStore {

    private final PolicyTopics topics;
    private final MeterRegistry meters;
    private final Clock clock;

    public DomainPolicyStore(PolicyTopics topics, MeterRegistry meters, Clock clock) {
        this.clock = clock;
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
        Timer.Sample started = Timer.start(meters);
        Outcome<DomainPolicy> outcome = topics.updateDomainPolicy(Topics.domainPolicyKey(accountId, domain), () -> {
            Optional<DomainPolicy> current = get(accountId, domain);
            if (current.isPresent() && current.get().mode() == mode) {
                return Decision.keep(current.get());
            }
            DomainPolicy policy = new DomainPolicy(accountId, domain, mode, Instant.now(clock));
            return Decision.write(Json.toBytes(policy), policy);
        });
        if (outcome.wrote()) {
            started.stop(meters.timer("letterlock.policy.writes", "kind", "domain_policy"));
        }
        return outcome.result();
    }

    /** @return false when there was no policy to delete */
    public boolean delete(String accountId, String domain) {
        Timer.Sample started = Timer.start(meters);
        Outcome<Boolean> outcome = topics.updateDomainPolicy(Topics.domainPolicyKey(accountId, domain), () ->
                get(accountId, domain).isPresent() ? Decision.delete(true) : Decision.keep(false));
        if (outcome.wrote()) {
            started.stop(meters.timer("letterlock.policy.writes", "kind", "domain_policy_delete"));
        }
        return outcome.result();
    }
}
