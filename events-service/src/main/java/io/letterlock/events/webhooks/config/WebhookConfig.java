package io.letterlock.events.webhooks.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Webhook settings storage and the guard on where webhooks may go. */
@ConfigMapping(prefix = "letterlock.webhook")
public interface WebhookConfig {

    /**
     * How long a settings write may take: waiting for this replica's other writes to the same
     * partition, for Kafka's acknowledgement and for this replica's view to show it.
     */
    @WithDefault("10s")
    Duration writeTimeout();

    /**
     * How often a settings write is decided and tried while other replicas keep writing the same
     * partition of the webhooks topic, before it is refused with 503 and Retry-After.
     */
    @WithDefault("5")
    int writeAttempts();

    /**
     * The producers that write the webhooks topic use transactional ids {@code <prefix>-<topic>-<partition>}.
     * Every replica of one installation must use the same prefix: that is what makes their writes to
     * one account take turns instead of undoing each other.
     */
    @WithDefault("letterlock-webhooks")
    String transactionalIdPrefix();

    /**
     * Most Event Webhooks one account may have (SendGrid's {@code max_allowed}; 5 as in SendGrid's
     * documented answer). Creating one more is refused with SendGrid's 400; lowering it deletes none.
     */
    @WithDefault("5")
    int maxAllowed();

    /**
     * Address ranges (CIDR, comma-separated) webhooks may reach although they are loopback,
     * private or link-local (LETTERLOCK_WEBHOOK_ALLOW). Empty: only public addresses.
     */
    Optional<List<String>> allow();

    /**
     * How long an old Standard Webhooks secret keeps signing after a rotation, so receivers can
     * switch to the new one without rejecting a single webhook.
     */
    @WithDefault("24h")
    Duration secretRotationOverlap();

    /**
     * Most Standard Webhooks secrets signing at once, the current one included: a rotation beyond
     * it retires the oldest at once, so each webhook carries at most this many HMACs.
     */
    @WithDefault("3")
    int maxActiveSecrets();

    /**
     * A PEM file of CA certificates HTTPS webhook endpoints may also chain to, besides the JVM's
     * trust store (LETTERLOCK_WEBHOOK_TRUST_PEM): for receivers inside a company network.
     */
    Optional<Path> trustPem();

    /**
     * OAuth bearer tokens kept, one per subscription's client credentials; beyond it, the one least
     * likely to be used again is dropped (Caffeine's W-TinyLFU: a token in use outlasts a flood of
     * one-off credentials), and each is dropped once it would be fetched anew anyway. A token is at
     * most 16 KiB (what is kept of a token endpoint's answer).
     */
    @WithDefault("4096")
    int oauthTokenCacheSize();

    /**
     * Parsed ECDSA private keys kept for signing, one per signed subscription; beyond it, the one
     * least likely to be used again is dropped (Caffeine's W-TinyLFU), and any unused for an hour.
     */
    @WithDefault("10000")
    int signingKeyCacheSize();

    /** Webhook tests (POST …/event/test) one account may send a minute; beyond, 429 with Retry-After. */
    @WithDefault("10")
    int testsPerAccountPerMinute();

    /** Settings changes (any PATCH of …/event/settings) one account may make a minute; beyond, 429. */
    @WithDefault("30")
    int settingsChangesPerAccountPerMinute();

    /** How long one POST may take, connection, TLS and the whole answer included. */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * Most POSTs open at once to one endpoint. A batch that finds its endpoint at this limit goes to
     * the retry topic instead of waiting, so a slow endpoint only ever slows itself.
     */
    @WithDefault("4")
    int maxInFlightPerEndpoint();

    Batch batch();

    Dispatcher dispatcher();

    Retry retry();

    /** When a batch is closed and POSTed. */
    interface Batch {

        /** Largest body of one POST, in bytes (SendGrid's 768 KiB). */
        @WithDefault("786432")
        int maxBytes();

        /** Longest an event waits for its batch to fill. */
        @WithDefault("5s")
        Duration maxAge();
    }

    /** The consumer of letterlock.events. */
    interface Dispatcher {

        /** False turns webhook delivery off on this replica (the settings API still works). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("letterlock-webhook-dispatcher")
        String groupId();

        /** Most events read and not yet delivered or queued for retry; reading pauses past it. */
        @WithDefault("50000")
        int maxHeldEvents();

        /** How long a stop waits for batches in flight before leaving them to be read again. */
        @WithDefault("15s")
        Duration drainTimeout();
    }

    /**
     * Retries of failed POSTs: the backoff schedule, and the scheduler that POSTs them again when due
     * (service-kit's delay queue over letterlock.webhooks.retry and its wait topics). The keys are
     * delivery's (letterlock.retry.*) where they mean the same; the old names stop the start
     * ({@link RenamedWebhookKeys}).
     */
    interface Retry {

        /** Wait after the first failure; it doubles after each further one. */
        @WithDefault("30s")
        Duration initialDelay();

        /** Longest wait between two tries. */
        @WithDefault("1h")
        Duration maxDelay();

        /** How long after a batch closed it is still retried; then it is dropped and counted. */
        @WithDefault("24h")
        Duration period();

        /**
         * Longest wait an endpoint's Retry-After is honoured for; asked for longer, the batch is
         * tried again after this (and the endpoint may ask again).
         */
        @WithDefault("1h")
        Duration maxRetryAfter();

        /** How long a write to Kafka (the retry topic, or the scheduler's moves) may take before it fails. */
        @WithDefault("10s")
        Duration publishTimeout();

        Scheduler scheduler();

        interface Scheduler {

            /** Consumer group of the schedulers on the retry topic and its wait topics; replicas share them. */
            @WithDefault("letterlock-webhook-retries")
            String groupId();

            /**
             * Most bytes of batches one replica holds in memory, all accounts together: those due
             * within the shortest wait tier, those due and waiting for a free POST slot, those being
             * POSTed. Past it such batches go to the shortest wait topic instead (and may be that much
             * late); reading never stops for it.
             */
            @WithDefault("64M")
            MemorySize maxHeldBytes();

            /**
             * Most of them one account's batches may take; beyond, its batches wait on the shortest
             * wait topic, so one account's backlog never holds back another account's retries.
             */
            @WithDefault("8M")
            MemorySize maxHeldBytesPerAccount();

            /**
             * Delays of the wait topics ({@code <retry topic>.wait-<delay>}), which hold batches due
             * later without holding memory or offsets. A batch waits in the longest one that fits,
             * then the next.
             */
            @WithDefault("30s,2m,10m,1h")
            List<Duration> waitTiers();

            /** How often the scheduler writes its moves (one Kafka transaction with its offsets). */
            @WithDefault("200ms")
            Duration commitInterval();
        }
    }
}
