package io.letterlock.delivery.intake.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How {@code POST /v3/mail/send} accepts requests. Defaults are documented in application.properties. */
@ConfigMapping(prefix = "letterlock.intake")
public interface IntakeConfig {

    /** Larger request bodies get 413, like SendGrid's 30 MB limit. */
    @WithDefault("30M")
    MemorySize maxBodySize();

    /**
     * The largest send-jobs or events record intake writes; a job larger than this (its content is
     * most of it) gets 413 rather than a Kafka error. Kafka's own defaults allow about 1 MiB
     * (producer max.request.size, broker message.max.bytes): raise those before raising this.
     */
    @WithDefault("1M")
    MemorySize maxRecordSize();

    /**
     * The most bytes of records one request may write, its jobs and their events together: every
     * recipient's job carries the whole content, so 1,000 recipients of a 1 MB message would be
     * 1 GB. A larger request gets 413 before any record is built.
     */
    @WithDefault("128M")
    MemorySize maxRequestRecordsSize();

    /** What one account may send through this replica. */
    PerAccount perAccount();

    /** How long a job may wait for delivery, counted from when it is due (its send_at, or now). */
    @WithDefault("72h")
    Duration jobLifetime();

    /** How long one request may wait for a producer, for Kafka's metadata, and for the commit. */
    @WithDefault("10s")
    Duration publishTimeout();

    /** Transactional producers in this replica; each serves one request at a time. */
    @WithDefault("2")
    int producers();

    /**
     * Transactional ids are this prefix, a dash and the producer's number. It must differ between
     * replicas running at once and should stay the same across a replica's restarts, so that the
     * restarted replica aborts what its predecessor left open at once. Unset: {@code letterlock-intake-},
     * the host name, a dash and the process id.
     */
    Optional<String> transactionalIdPrefix();

    /**
     * Each account's share of this replica, so one tenant cannot starve the others. Each replica
     * counts for itself: behind n replicas an account may send up to n times these rates.
     */
    interface PerAccount {

        /** Recipients (one job each) an account may send per second, on average; more get 429. */
        @WithDefault("1000")
        double messagesPerSecond();

        /** Recipients an account may send at once after a pause; also the most one request may have. */
        @WithDefault("10000")
        long messageBurst();

        /** Bytes of records (as letterlock.intake.max-request-records-size counts them) per second. */
        @WithDefault("64M")
        MemorySize bytesPerSecond();

        /** Bytes of records an account may send at once after a pause; also the most one request may take. */
        @WithDefault("640M")
        MemorySize byteBurst();

        /**
         * Requests of an account this replica serves at once, from the first byte of the body to the
         * answer; more get 429. Each holds a worker thread and its body, so an account sending many
         * slowly cannot take them all.
         */
        @WithDefault("10")
        int maxRequestsInProgress();
    }
}
