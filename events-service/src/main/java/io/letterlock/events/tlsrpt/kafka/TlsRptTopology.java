package io.letterlock.events.tlsrpt.kafka;

import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.events.tlsrpt.report.TlsRptSettings;
import io.letterlock.events.tlsrpt.send.PendingReport;
import io.letterlock.events.tlsrpt.store.DomainDayResults;
import io.letterlock.events.views.kafka.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS-RPT sub-topology of the {@code views} Streams application (same application id, so the
 * same group, changelog prefix and exactly-once transactions): letterlock.tls-sessions, keyed by
 * policy domain, through {@link FirstSessions} (each {@code session_id} once, {@value #SEEN}) into
 * tumbling UTC-day windows per policy domain ({@value #RESULTS}: policy domain → the day's
 * {@link DomainDayResults}). Both stores are RocksDB with changelogs. The key never changes, so
 * there is no repartition topic: a domain's results live in the partition its sessions were
 * written to, which is where a query looks. With {@link Planning}, the same tasks plan each closed
 * day's reports onto letterlock.tls-reports ({@link DueReports}, {@value #PLANNED}).
 */
public final class TlsRptTopology {

    public static final String SEEN = "tls-rpt-seen-sessions";
    public static final String RESULTS = "tls-rpt-results";
    /** UTC day ({@code YYYY-MM-DD}) → when its reports were planned, per task: each day planned once. */
    public static final String PLANNED = "tls-rpt-planned-days";
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
    /**
     * How the day's reports are planned ({@link DueReports}).
     *
     * @param reportsTopic letterlock.tls-reports, where planned reports go
     * @param interval     how often (wall clock) closed days are looked for
     */
    public record Planning(String reportsTopic, TlsRptSettings settings, Duration interval, Clock clock) {
    }

    /** Counting only, no reports planned (the counting's own tests). */
    public static void addTo(StreamsBuilder builder, String sessionsTopic, Duration grace, Duration retention) {
        addTo(builder, sessionsTopic, grace, retention, Optional.empty());
    }

    public static void addTo(StreamsBuilder builder, String sessionsTopic, Duration grace, Duration retention,
                             Optional<Planning> planning) {
        Objects.requireNonNull(sessionsTopic, "sessionsTopic");
        Duration window = DAY.plus(grace);
        TlsSessionSerde sessions = new TlsSessionSerde();
        Duration kept = retention.compareTo(window) < 0 ? window : retention;
        // A session can still count until its day's window closes: remember its id that long.
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN, window, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()));
        KStream<String, TlsSessionResult> first = builder.stream(sessionsTopic, Consumed.with(Serdes.String(), sessions)
                        .withTimestampExtractor(new SessionTimestamps()).withName("letterlock-tls-sessions"))
                .processValues(() -> new FirstSessions(SEEN, window), Named.as("tls-rpt-first-sessions"), SEEN);
        first.groupByKey(Grouped.with(Serdes.String(), sessions))
                .windowedBy(TimeWindows.ofSizeAndGrace(DAY, grace))
                .aggregate(DomainDayResults::empty, (domain, session, day) -> day.plus(session),
                        Materialized.<String, DomainDayResults, WindowStore<Bytes, byte[]>>as(RESULTS)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new JsonSerde<>(DomainDayResults.class))
                                .withRetention(kept));
        planning.ifPresent(plan -> {
            // In the counting's sub-topology (same source), so its tasks read the results they hold.
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PLANNED),
                    Serdes.String(), Serdes.Long()));
            first.process(() -> new DueReports(plan.settings(), grace, kept, plan.interval(), plan.clock()),
                            Named.as("tls-rpt-due-reports"), RESULTS, PLANNED)
                    .to(plan.reportsTopic(), Produced.with(Serdes.String(), new JsonSerde<>(PendingReport.class))
                            .withName("letterlock-tls-reports"));
        });
    }
}
