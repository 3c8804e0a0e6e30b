package io.letterlock.events.views.kafka;

import io.letterlock.events.activity.store.MessageHistoryProcessor;
import io.letterlock.events.activity.store.MessageHistorySerde;
import io.letterlock.events.activity.store.MessageSummary;
import io.letterlock.events.report.store.AccountPartitioner;
import io.letterlock.events.report.store.DomainDayStats;
import io.letterlock.events.tlsrpt.config.TlsRptConfig;
import io.letterlock.events.tlsrpt.kafka.TlsRptTopology;
import io.letterlock.events.views.config.ActivityConfig;
import io.letterlock.service.TopicNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The views events-service answers queries from, built from letterlock.events:
 * <ol>
 *   <li>{@value #MESSAGES}: message id → its history; keyed like the topic, so no repartition;</li>
 *   <li>{@value #INDEX}: {@code account|reverse-time|msg_id} → summary, for listing an account's
 *       messages newest first (same task, same partition as the history);</li>
 *   <li>{@value #REPORT}: {@code account|domain} → the day's TLS facts, in tumbling UTC-day
 *       windows, after a repartition ({@value #REPORT_REPARTITION}) that keeps one account's domains
 *       in one partition ({@link AccountPartitioner}).</li>
 * </ol>
 * and, from letterlock.tls-sessions, the TLS-RPT counts ({@link TlsRptTopology}: each session once,
 * per policy domain and UTC day), unless {@code letterlock.tls-rpt.enabled=false}.
 * Each store is RocksDB on local disk with a changelog topic, so an instance that lost its disk
 * rebuilds it from Kafka.
 */
@ApplicationScoped
public class ActivityTopology {

    public static final String MESSAGES = "activity-messages";
    public static final String INDEX = "activity-index";
    public static final String REPORT = "tls-report";
    public static final String REPORT_REPARTITION = "tls-report-by-account";
    static final Duration DAY = Duration.ofDays(1);

    private final TopicNames topics;
    private final ActivityConfig config;
    private final TlsRptConfig tlsRpt;
    private final Clock clock;

    public ActivityTopology(TopicNames topics, ActivityConfig config, TlsRptConfig tlsRpt, Clock clock) {
        this.clock = clock;
        this.topics = topics;
        this.config = config;
        this.tlsRpt = tlsRpt;
    }

    /**
     * The stores {@link MessageHistoryProcessor} keeps a message's history and the index in, named
     * {@link #MESSAGES} and {@link #INDEX}: this topology's, and its tests'.
     */
    public static void addHistoryStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MESSAGES), Serdes.String(),
                new MessageHistorySerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INDEX), Serdes.String(),
                new JsonSerde<>(MessageSummary.class)));
    }

    // Singleton, not a client proxy: KafkaStreams reads the Topology's fields, not only its methods.
    @Produces
    @Singleton
    Topology topology() {
        EventRecordSerde events = new EventRecordSerde();
        StreamsBuilder builder = new StreamsBuilder();
        addHistoryStores(builder);

        builder.stream(topics.events(), Consumed.with(Serdes.String(), events)
                        .withTimestampExtractor(new EventTimestamps()).withName("letterlock-events"))
                .process(() -> new MessageHistoryProcessor(MESSAGES, INDEX, config.retention(), config.purgeInterval()),
                        MESSAGES, INDEX)
                // Only events seen for the first time come out of the history: the report counts each once.
                .filter((msgId, record) -> DomainDayStats.counts(record.event()) && record.recipientDomain() != null)
                .selectKey((msgId, record) -> AccountPartitioner.key(record.event().accountId(), record.recipientDomain()))
                .repartition(Repartitioned.<String, EventRecord>as(REPORT_REPARTITION)
                        .withKeySerde(Serdes.String()).withValueSerde(events)
                        .withStreamPartitioner(new AccountPartitioner<>()))
                .groupByKey(Grouped.with(Serdes.String(), events))
                .windowedBy(TimeWindows.ofSizeAndGrace(DAY, config.reportGrace()))
                .aggregate(DomainDayStats::empty, (key, record, stats) -> stats.plus(record.event()),
                        Materialized.<String, DomainDayStats, WindowStore<Bytes, byte[]>>as(REPORT)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new JsonSerde<>(DomainDayStats.class))
                                .withRetention(reportRetention()));
        // Last: sub-topologies are numbered in the order they are added, the activity's keep theirs.
        if (tlsRpt.enabled()) {
            TlsRptTopology.addTo(builder, topics.tlsSessions(), tlsRpt.grace(), tlsRpt.retention(),
                    Optional.of(new TlsRptTopology.Planning(topics.tlsReports(), tlsRpt.settings(), tlsRpt.planInterval(),
                            clock)));
        }
        return builder.build();
    }

    /** Windows must be kept at least a day plus the grace, however short the activity retention. */
    private Duration reportRetention() {
        Duration minimum = DAY.plus(config.reportGrace());
        return config.retention().compareTo(minimum) < 0 ? minimum : config.retention();
    }
}
