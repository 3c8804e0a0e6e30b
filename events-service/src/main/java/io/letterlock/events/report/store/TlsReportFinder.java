package io.letterlock.events.report.store;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SortedMap;

import io.letterlock.events.views.kafka.ActivityTopology;
import io.letterlock.events.views.query.InteractiveQueries;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads one account's daily windows from the report store and adds them up per domain. */
@ApplicationScoped
public class TlsReportFinder {

    /** Above any character of a domain name: the end of one account's key range. */
    private static final char AFTER_DOMAINS = '\uffff';
    private static final AccountPartitioner<Object> PARTITIONER = new AccountPartitioner<>();

    private final InteractiveQueries queries;

    public TlsReportFinder(InteractiveQueries queries) {
        this.queries = queries;
    }

    /** The instance holding this account's whole report. */
    public KeyQueryMetadata ownerOf(String accountId) {
        return queries.ownerOf(ActivityTopology.REPORT, AccountPartitioner.key(accountId, ""), PARTITIONER);
    }

    /**
     * The account's days of the request, from this instance's partition: merged per domain, and
     * merged per day over all domains (the days that have any attempt, in order).
     */
    public AccountReport report(String accountId, TlsReportRequest request, int partition) {
        return queries.read(() -> read(accountId, request, partition));
    }

    private AccountReport read(String accountId, TlsReportRequest request, int partition) {
        ReadOnlyWindowStore<String, DomainDayStats> store = queries.store(ActivityTopology.REPORT,
                QueryableStoreTypes.windowStore(), partition);
        String from = AccountPartitioner.key(accountId, "");
        Map<String, DomainDayStats> merged = new TreeMap<>();
        SortedMap<LocalDate, DomainDayStats> byDay = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, DomainDayStats> days = store.fetch(from, from + AFTER_DOMAINS,
                request.start(), request.lastWindowStart())) {
            while (days.hasNext()) {
                KeyValue<Windowed<String>, DomainDayStats> day = days.next();
                String key = day.key.key();
                if (key.startsWith(from)) {
                    merged.merge(key.substring(from.length()), day.value, DomainDayStats::merge);
                    byDay.merge(LocalDate.ofInstant(day.key.window().startTime(), ZoneOffset.UTC), day.value,
                            DomainDayStats::merge);
                }
            }
        }
        List<DomainRow> rows = new ArrayList<>();
        merged.forEach((domain, stats) -> rows.add(new DomainRow(domain, stats)));
        return new AccountReport(rows, byDay);
    }
}
