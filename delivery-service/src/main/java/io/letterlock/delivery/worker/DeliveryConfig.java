package io.letterlock.delivery.worker;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * How the delivery worker consumes jobs and uses connections. Two keys under the same prefix are
 * shared with the TLS check and read through service-kit's {@code ReachConfig.Delivery}:
 * {@code letterlock.delivery.allow} and {@code letterlock.delivery.helo-name}.
 */
@ConfigMapping(prefix = "letterlock.delivery")
public interface DeliveryConfig {

    /** Set false to run the service without consuming send jobs (e.g. intake only). */
    @WithDefault("true")
    boolean enabled();

    /** Kafka consumer group of the workers; partitions of send-jobs are shared among its members. */
    @WithDefault("letterlock-delivery")
    String consumerGroup();

    /**
     * How far behind the TLS settings topics this worker's views may fall before it stops taking
     * jobs (a broker away, a stuck view): the longest a settings change can go unseen.
     */
    @WithDefault("15s")
    Duration policyMaxStaleness();

    /**
     * How far behind the suppression topic this worker's view may fall before it stops taking jobs:
     * the longest a new bounce or unsubscribe can go unseen.
     */
    @WithDefault("15s")
    Duration suppressionMaxStaleness();

    /**
     * Jobs read and not yet committed per worker (in delivery, or settled and waiting for the next
     * commit); at it the worker stops fetching until a commit. Also the most a crash repeats.
     */
    @WithDefault("1000")
    int maxInFlight();

    /**
     * Jobs of one account in delivery at once per worker. Its further jobs wait their turn while the
     * worker reads on, so other accounts' mail behind a flood starts at once.
     */
    @WithDefault("200")
    int maxInFlightPerAccount();

    /** Bytes of jobs waiting for their account's turn; past it the worker reads no more for now. */
    @WithDefault("64M")
    MemorySize maxWaitingBytes();

    /**
     * At shutdown, how long the worker waits for the jobs in delivery to finish before it leaves
     * them to the next owner of their partitions (who delivers them again). Keep it below the
     * orchestrator's grace period (Kubernetes: 30 s).
     */
    @WithDefault("20s")
    Duration drainTimeout();

    /**
     * Whose TLS STARTTLS uses: {@code auto} (BoringSSL when its native library loads on this
     * platform, else the JDK's), {@code openssl} (BoringSSL or fail at start) or {@code jdk}.
     */
    @WithDefault("auto")
    String tlsProvider();

    /** Netty event-loop threads for SMTP connections; 0 means twice the number of cores. */
    @WithDefault("0")
    int ioThreads();

    /** Concurrent transactions per MX address, and idle connections kept there for reuse (all MX names together). */
    @WithDefault("10")
    int connectionsPerAddress();

    /** Addresses tried in one attempt before it is deferred. */
    @WithDefault("10")
    int maxHostsTried();

    /** How long an idle connection is kept for the next message to the same MX. */
    @WithDefault("5s")
    Duration connectionIdleTime();

    /**
     * Messages per connection before it is closed and a new one opened. Postfix sets no count limit
     * by default (only a 300 s time limit); every new connection costs both sides a TLS handshake.
     */
    @WithDefault("1000")
    int maxMessagesPerConnection();

    /**
     * How often the worker writes the outcomes of finished jobs with their offsets (one Kafka
     * transaction). Each is a few round trips and a write to the broker's offsets log; a job's events
     * appear up to this much later. A crash repeats at most the jobs settled in the last interval;
     * stopping and rebalancing always write what is finished.
     */
    @WithDefault("200ms")
    Duration commitInterval();

    /**
     * Transactional id of this worker's Kafka producer, which writes each batch of outcomes with its
     * offsets. Must differ between workers running at once and should stay the same when one is
     * restarted in place (its successor then closes what it left open at once). Default
     * {@code letterlock-delivery-<host name>-<process id>}: on Kubernetes the pod name and a pid that
     * stays the same across container restarts.
     */
    Optional<String> transactionalId();

    /** How long one Kafka call of the worker (a transactional write, its commit) may block. */
    @WithDefault("10s")
    Duration kafkaTimeout();

    /**
     * How long the broker keeps a worker's transaction open. One left open by a worker that was
     * killed holds readers of the events and retry topics back until then (unless the worker comes
     * back with the same transactional id first); it must exceed the Kafka timeout.
     */
    @WithDefault("15s")
    Duration transactionTimeout();
}
