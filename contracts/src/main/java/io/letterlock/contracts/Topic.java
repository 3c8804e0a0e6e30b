package io.letterlock.contracts;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The topic catalogue: every Kafka topic of Letterlock, what is kept in it and for how long, how
 * large a record may be, and the one service that creates it (docs/architecture.md, "Topics").
 * Names are the constants in {@link Topics}, overridable per installation under
 * {@code letterlock.topics.<configKey>}. Partitions and replication are a deployment's choice
 * (the k8s overlays; locally the broker's defaults), not the contract's.
 *
 * <p>Only the owner creates its topics, with exactly the settings here. A service that reads a
 * topic another one owns waits for it to exist: Strimzi creates every topic on Kubernetes, and
 * locally the owner creates it when it starts.
 */
public enum Topic {

    /** Key: account id. Value: {@link TlsSettings}. */
    TLS_SETTINGS("tls-settings", Topics.TLS_SETTINGS, Service.POLICY, Retention.COMPACTED, Records.KAFKA_DEFAULT),
    /** Key: {@link Topics#domainPolicyKey}. Value: {@link DomainPolicy}; a null value deletes. */
    DOMAIN_POLICIES("domain-policies", Topics.DOMAIN_POLICIES, Service.POLICY, Retention.COMPACTED, Records.KAFKA_DEFAULT),
    /** Key: {@link Topics#suppressionKey}. Value: {@link Suppression}; a null value deletes. */
    SUPPRESSIONS("suppressions", Topics.SUPPRESSIONS, Service.POLICY, Retention.COMPACTED, Records.KAFKA_DEFAULT),
    /** Key: {@link Topics#unsubscribeGroupKey}. Value: {@link UnsubscribeGroup}; a null value deletes. */
    UNSUBSCRIBE_GROUPS("unsubscribe-groups", Topics.UNSUBSCRIBE_GROUPS, Service.POLICY, Retention.COMPACTED,
            Records.KAFKA_DEFAULT),
    /**
     * Key: recipient domain. Value: {@link SendJob}. Kept a week, longer than a job may wait for a
     * worker (its lifetime, 72 h by default).
     */
    SEND_JOBS("send-jobs", Topics.SEND_JOBS, Service.DELIVERY, Retention.days(7), Records.JOB),
    /**
     * Deferred and scheduled jobs until due, and (same settings, names {@code <name>.wait-<delay>})
     * the retry scheduler's wait topics. A week: send_at (at most 72 h ahead) plus the job's lifetime.
     */
    SEND_JOBS_RETRY("send-jobs-retry", Topics.SEND_JOBS_RETRY, Service.DELIVERY, Retention.days(7), Records.JOB),
    /** Jobs that could not be read, with the reason in headers: kept a month, longer than events. */
    SEND_JOBS_DLQ("send-jobs-dlq", Topics.SEND_JOBS_DLQ, Service.DELIVERY, Retention.days(30), Records.JOB),
    /**
     * Key: message id. Value: a chunk of a request's {@link StoredContent}. A week, as the job topics:
     * every job that points to it ends (send_at plus its lifetime) before the content goes.
     */
    MAIL_CONTENT("mail-content", Topics.MAIL_CONTENT, Service.DELIVERY, Retention.days(7), Records.JOB),
    /** Key: message id. Value: {@link MailEvent}. Written by intake and the delivery worker. */
    EVENTS("events", Topics.EVENTS, Service.DELIVERY, Retention.days(7), Records.KAFKA_DEFAULT),
    /**
     * Key: account id. Value: {@link WebhookSettings}, signing keys and secrets included: segments
     * roll daily and compact early, so that a rotated-out secret leaves the log within days.
     */
    WEBHOOKS("webhooks", Topics.WEBHOOKS, Service.EVENTS, Retention.COMPACTED, Records.KAFKA_DEFAULT,
            Map.of("segment.ms", "86400000", "min.cleanable.dirty.ratio", "0.1")),
    /**
     * Key: account id. Value: a pending webhook batch. Three days, twice the webhook retry period;
     * a record is a whole batch (up to 4 MiB before lz4), so 5 MiB. Also (same settings, names
     * {@code <name>.wait-<delay>}) the wait topics of the webhook retries' delay queue.
     */
    WEBHOOKS_RETRY("webhooks-retry", Topics.WEBHOOKS_RETRY, Service.EVENTS, Retention.days(3), Records.WEBHOOK_BATCH),
    /** Key: policy domain. Value: {@link MtaStsPolicyRecord}; a null value purges it. */
    MTA_STS_POLICIES("mta-sts-policies", Topics.MTA_STS_POLICIES, Service.DELIVERY, Retention.COMPACTED, Records.KAFKA_DEFAULT),
    /**
     * Key: policy domain. Value: {@link TlsSessionResult}. A week: a day's results are counted once
     * the day and its grace are over, and a report may be rebuilt from them within the week.
     */
    TLS_SESSIONS("tls-sessions", Topics.TLS_SESSIONS, Service.DELIVERY, Retention.days(7), Records.KAFKA_DEFAULT),
    /**
     * Key: policy domain. Value: a TLS report due to be sent, or one submission of it. A week: a
     * submission is given up a day after its report was due, and the wait topics (same settings,
     * names {@code <name>.wait-<delay>}) hold none longer than their delay.
     */
    TLS_REPORTS("tls-reports", Topics.TLS_REPORTS, Service.EVENTS, Retention.days(7), Records.KAFKA_DEFAULT),
    /**
     * Key: {@link Topics#mailBatchKey}. Value: {@link MailBatch}; a null value deletes. Compacted: a
     * batch id stays valid as long as SendGrid's do, and delivery must know a pause of any age.
     */
    MAIL_BATCHES("mail-batches", Topics.MAIL_BATCHES, Service.POLICY, Retention.COMPACTED, Records.KAFKA_DEFAULT);

    /** The services, each the owner of some topics. */
    public enum Service {
        POLICY("policy-service"),
        DELIVERY("delivery-service"),
        EVENTS("events-service");

        private final String folder;

        Service(String folder) {
            this.folder = folder;
        }

        /** Its folder and artifact name, e.g. {@code delivery-service}. */
        public String folder() {
            return folder;
        }
    }

    /**
     * How long records stay: forever, as the latest value per key (compacted), or for a time.
     *
     * @param compacted true for {@code cleanup.policy=compact}
     * @param time      for deleted topics, {@code retention.ms}; empty when compacted
     */
    public record Retention(boolean compacted, Optional<Duration> time) {

        static final Retention COMPACTED = new Retention(true, Optional.empty());

        static Retention days(int days) {
            return new Retention(false, Optional.of(Duration.ofDays(days)));
        }
    }

    /** Largest record sizes ({@code max.message.bytes}) of the topics that take more than Kafka's 1 MiB. */
    public static final class Records {

        /**
         * A job of intake's largest record ({@code letterlock.intake.max-record-size}, 1 MiB by
         * default) with its key and headers. A larger max-record-size makes the owner create
         * its job topics larger to match.
         */
        public static final int JOB = 2 * 1024 * 1024;
        /** A webhook batch of up to 4 MiB, lz4-compressed, with room for lz4's worst case. */
        public static final int WEBHOOK_BATCH = 5 * 1024 * 1024;
        /** Kafka's own limit (1 MiB and a batch header) is enough. */
        static final int KAFKA_DEFAULT = 0;

        private Records() {
        }
    }

    private final String configKey;
    private final String defaultName;
    private final Service owner;
    private final Retention retention;
    private final Optional<Integer> maxMessageBytes;
    private final Map<String, String> moreConfig;

    Topic(String configKey, String defaultName, Service owner, Retention retention, int maxMessageBytes) {
        this(configKey, defaultName, owner, retention, maxMessageBytes, Map.of());
    }

    Topic(String configKey, String defaultName, Service owner, Retention retention, int maxMessageBytes,
          Map<String, String> moreConfig) {
        this.configKey = configKey;
        this.defaultName = defaultName;
        this.owner = owner;
        this.retention = retention;
        this.maxMessageBytes = maxMessageBytes == Records.KAFKA_DEFAULT ? Optional.empty() : Optional.of(maxMessageBytes);
        this.moreConfig = moreConfig;
    }

    /** The key under {@code letterlock.topics.} that names it in an installation. */
    public String configKey() {
        return configKey;
    }

    /** Its name unless configured otherwise. */
    public String defaultName() {
        return defaultName;
    }

    /** The one service that creates it. */
    public Service owner() {
        return owner;
    }

    public Retention retention() {
        return retention;
    }

    /** {@code max.message.bytes} when above Kafka's default. */
    public Optional<Integer> maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * The topic settings it is created with: cleanup policy, retention, record size and anything
     * more it needs, as Kafka's topic configuration names them.
     */
    public Map<String, String> topicConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("cleanup.policy", retention.compacted() ? "compact" : "delete");
        retention.time().ifPresent(time -> config.put("retention.ms", Long.toString(time.toMillis())));
        maxMessageBytes.ifPresent(bytes -> config.put("max.message.bytes", Integer.toString(bytes)));
        config.putAll(moreConfig);
        return config;
    }

    /** The topics a service creates. */
    public static List<Topic> ownedBy(Service service) {
        return Arrays.stream(values()).filter(topic -> topic.owner == service).toList();
    }

    /**
     * Whether a delay queue reads this topic, with wait topics {@code <name>.wait-<delay>} (one per
     * tier its service configures) that have this entry's settings and owner.
     */
    public boolean hasWaitTopics() {
        return switch (this) {
            case SEND_JOBS_RETRY, WEBHOOKS_RETRY, TLS_REPORTS -> true;
            default -> false;
        };
    }

    /** The entry a topic of this name has: its own, or for a wait topic its delay queue's topic's. */
    public static Optional<Topic> entryOf(String name) {
        return Arrays.stream(values())
                .filter(topic -> name.equals(topic.defaultName())
                        || (topic.hasWaitTopics() && name.startsWith(topic.defaultName() + ".wait-")))
                .findFirst();
    }
}
