package io.letterlock.events.tlsrpt.store;

import io.letterlock.events.tlsrpt.kafka.TlsRptTopology;
import io.letterlock.events.views.query.InteractiveQueries;
import io.letterlock.service.TopicNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads the counted TLS sessions: one policy domain's day from the partition holding it, and the
 * domains with results for a day in this instance's partitions. A domain's results live where its
 * sessions were written (keyed by policy domain, the default partitioner), so each instance can
 * send the reports of the domains it holds, and a query for one domain goes to its owner.
 */
@ApplicationScoped
public class TlsRptResults {

    private final InteractiveQueries queries;
    private final TopicNames topics;

    public TlsRptResults(InteractiveQueries queries, TopicNames topics) {
        this.queries = queries;
        this.topics = topics;
    }

    /** The instance, and partition, holding this policy domain's results. */
    public KeyQueryMetadata ownerOf(String policyDomain) {
        return queries.ownerOf(TlsRptTopology.RESULTS, policyDomain);
    }

    /** The domain's results for the UTC day, from this instance's {@code partition}; empty without sessions. */
    public Optional<DomainDayResults> day(String policyDomain, LocalDate day, int partition) {
        return queries.read(() -> Optional.ofNullable(store(partition).fetch(policyDomain, start(day).toEpochMilli())));
    }

    /** The policy domains with sessions on the UTC day, over the partitions whose active task runs here. */
    public SortedSet<String> localDomains(LocalDate day) {
        return queries.read(() -> {
            SortedSet<String> domains = new TreeSet<>();
            for (int partition : queries.localPartitions(TlsRptTopology.RESULTS, topics.tlsSessions())) {
                try (KeyValueIterator<Windowed<String>, DomainDayResults> windows =
                             store(partition).fetchAll(start(day), start(day))) {
                    while (windows.hasNext()) {
                        KeyValue<Windowed<String>, DomainDayResults> window = windows.next();
                        domains.add(window.key.key());
                    }
                }
            }
            return domains;
        });
    }

    private ReadOnlyWindowStore<String, DomainDayResults> store(int partition) {
        return queries.store(TlsRptTopology.RESULTS, QueryableStoreTypes.windowStore(), partition);
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
