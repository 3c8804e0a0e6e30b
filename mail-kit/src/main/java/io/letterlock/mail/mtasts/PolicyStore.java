package io.letterlock.mail.mtasts;

import java.util.Optional;

/**
 * Where fetched policies are kept, per policy domain: the seam for a store that all instances of a
 * service share (a compacted Kafka topic keyed by domain, a {@code null} value for
 * {@link #remove}), so a policy is fetched once per fleet, not once per instance.
 *
 * <p>Contract, as {@link MtaStsPolicies} relies on it:
 * <ul>
 * <li>{@link #get} after {@link #put} on the same instance returns what was put (a Kafka-backed
 *     store applies its own writes to its local view at once), else the next lookup would fetch
 *     again;</li>
 * <li>{@link #put} and {@link #remove} do not block: they are called on the DNS and fetch threads
 *     (hand off, or use the producer's asynchronous send with a bounded {@code max.block.ms});</li>
 * <li>expired entries may be returned: the caller checks {@link CachedPolicy#isExpiredAt}.</li>
 * </ul>
 */
public interface PolicyStore {

    /** The policy kept for {@code domain} (lower-case A-labels), if any. */
    Optional<CachedPolicy> get(String domain);

    /** Keeps {@code policy} for {@link CachedPolicy#domain()}, replacing what was kept. */
    void put(CachedPolicy policy);

    /** Forgets the policy of {@code domain}. */
    void remove(String domain);
}
