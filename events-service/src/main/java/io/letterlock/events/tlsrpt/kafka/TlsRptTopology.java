package io.letterlock.events.tlsrpt.kafka;

import io.letterlock.events.tlsrpt.store.DomainDayResults;
import io.letterlock.events.views.kafka.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.Objects;

/**
 * The TLS-RPT sub-topology of the {@code views} Streams application (same application id, so the
 * same group, changelog prefix and exactly-once transactions): letterlock.tls-sessions, keyed by
 * policy domain, through {@link FirstSessions} (each {@code session_id} once, {@value #SEEN}) into
 * tumbling UTC-day windows per policy domain ({@value #RESULTS}: policy domain → the day's
 * {@link DomainDayResults}). Both stores are RocksDB with changelogs. The key never changes, so
 * there is no repartition topic: a domain's results live in the partition its sessions were
 * written to, which is where a query looks.
 */
public final class TlsRptTopology {

    public static final String SEEN = "tls-rpt-seen-sessions";
    public static final String RESULTS = "tls-rpt-results";
    static final Duration DAY = Duration.ofDays(1);

    private TlsRptTopology() {
    }

    /**
     * Adds the sub-topology. Call it after the builder's other sources: sub-topologies are numbered
     * in the order they are added, and their tasks' stores on disk by those numbers.
     *
     * @param grace     how late (by {@code at}) a session may arrive and still count in its day
     * @param retention how long each day's results are kept; at least a day plus the grace
     */
    public static void addTo(StreamsBuilder builder, String sessionsTopic, Duration grace, Duration retention) {
        Objects.requireNonNull(sessionsTopic, "sessionsTopic");
        Duration window = DAY.plus(grace);
        TlsSessionSerde sessions = new TlsSessionSerde();
        // A session can still count until its day's window closes: remember its id that long.
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN, window, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()));
        builder.stream(sessionsTopic, Consumed.with(Serdes.String(), sessions)
                        .withTimestampExtractor(new SessionTimestamps()).withName("letterlock-tls-sessions"))
                .processValues(() -> new FirstSessions(SEEN, window), Named.as("tls-rpt-first-sessions"), SEEN)
                .groupByKey(Grouped.with(Serdes.String(), sessions))
                .windowedBy(TimeWindows.ofSizeAndGrace(DAY, grace))
                .aggregate(DomainDayResults::empty, (domain, session, day) -> day.plus(session),
                        Materialized.<String, DomainDayResults, WindowStore<Bytes, byte[]>>as(RESULTS)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new JsonSerde<>(DomainDayResults.class))
                                .withRetention(retention.compareTo(window) < 0 ? window : retention));
    }
}
