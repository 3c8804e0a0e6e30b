package io.letterlock.events.tlsrpt.kafka;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.events.tlsrpt.report.TlsReportDocument;
import io.letterlock.events.tlsrpt.report.TlsRptReportBuilder;
import io.letterlock.events.tlsrpt.report.TlsRptSettings;
import io.letterlock.events.tlsrpt.send.PendingReport;
import io.letterlock.events.tlsrpt.send.ReportFile;
import io.letterlock.events.tlsrpt.store.DomainDayResults;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans the day's TLS reports: every {@code interval} of wall-clock time it looks, by the service's
 * clock, for UTC days whose window has closed (the day's end plus the grace) and that this task has
 * not planned yet, and puts each policy domain's report of such a day, built and gzipped, on
 * letterlock.tls-reports, where the report sender takes it from. The day is marked planned in
 * {@value TlsRptTopology#PLANNED} in the same exactly-once transaction as the reports are written,
 * so a crash or a rebalance neither loses a day's reports nor plans them twice.
 *
 * <p>Each task plans the domains of its own partitions, so the work is spread as the counting is.
 * Sessions reach it as records and pass by: only the punctuation does anything.
 *
 * <p>A day is planned once, so only when this task has counted what its partition holds of it: its
 * stream time (the latest session time it has seen) is past the day's window, or it has had no
 * session for a whole interval. Without that, an instance back after an outage longer than the
 * grace would plan the days it missed at its first punctuation, before it had read the sessions
 * delivery wrote while it was away, and send reports short of them.
 *
 * <p>Nothing is planned while {@code ready} says the reporting organisation is not configured
 * (placeholder names): the results wait in their store, within the retention, until it is.
 */
final class DueReports implements Processor<String, TlsSessionResult, String, PendingReport> {

    private static final Logger LOG = Logger.getLogger(DueReports.class);

    private final TlsRptSettings settings;
    private final Duration grace;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private final TlsRptReportBuilder builder;
    private ProcessorContext<String, PendingReport> context;
    private TimestampedWindowStore<String, DomainDayResults> results;
    private KeyValueStore<String, Long> planned;
    /** Wall-clock time this task last took a session (or started): how long it has been idle. */
    private long lastSessionAt;

    DueReports(TlsRptSettings settings, Duration grace, Duration retention, Duration interval, Clock clock) {
        this.settings = settings;
        this.grace = grace;
        this.retention = retention;
        this.interval = interval;
        this.clock = clock;
        this.builder = new TlsRptReportBuilder(settings);
    }

    @Override
    public void init(ProcessorContext<String, PendingReport> context) {
        this.context = context;
        this.results = context.getStateStore(TlsRptTopology.RESULTS);
        this.planned = context.getStateStore(TlsRptTopology.PLANNED);
        this.lastSessionAt = context.currentSystemTimeMs();
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::planDueDays);
    }

    @Override
    public void process(Record<String, TlsSessionResult> record) {
        // Sessions are counted by the aggregation beside this processor; reports are planned by time.
        lastSessionAt = context.currentSystemTimeMs();
    }

    /**
     * @param wallClock the punctuation's time, the records' timestamp: the broker refuses timestamps
     *                  far from its own clock, which the service's clock need not be (a test moves it)
     */
    void planDueDays(long wallClock) {
        if (!settings.isConfigured()) {
            return;
        }
        Instant now = clock.instant();
        boolean idle = wallClock - lastSessionAt >= interval.toMillis();
        for (LocalDate day : closedDays(now)) {
            if (planned.get(day.toString()) == null && (idle || countedPast(day))) {
                int reports = plan(day, wallClock);
                planned.put(day.toString(), now.toEpochMilli());
                LOG.infof("tls-rpt: planned %d report(s) for %s (task %s)", reports, day, context.taskId());
            }
        }
        forgetOldDays(now);
    }

    /** Whether this task has seen a session from after the day's window: every earlier one is counted. */
    private boolean countedPast(LocalDate day) {
        return context.currentStreamTimeMs() >= windowEnd(day).toEpochMilli();
    }

    /** When the day's window closes, its end plus the grace: no later session counts in it, and its reports are due. */
    private Instant windowEnd(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(TlsRptTopology.DAY).plus(grace);
    }

    /** The days still kept whose window has closed, oldest first. */
    private List<LocalDate> closedDays(Instant now) {
        LocalDate last = LocalDate.ofInstant(now.minus(grace), ZoneOffset.UTC).minusDays(1);
        LocalDate first = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC);
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }

    private int plan(LocalDate day, long wallClock) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dueAt = windowEnd(day);
        int count = 0;
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<DomainDayResults>> windows =
                     results.fetchAll(start, start)) {
            while (windows.hasNext()) {
                KeyValue<Windowed<String>, ValueAndTimestamp<DomainDayResults>> window = windows.next();
                String domain = window.key.key();
                TlsReportDocument report = builder.build(domain, day, window.value.value());
                ReportFile file = ReportFile.of(settings.submitter(), domain, report.dateRange(), Json.toBytes(report),
                        Optional.empty());
                context.forward(new Record<>(domain,
                        PendingReport.planned(report.reportId(), domain, day.toString(), file, dueAt),
                        wallClock));
                count++;
            }
        }
        return count;
    }

    private void forgetOldDays(Instant now) {
        String oldest = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC).toString();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> days = planned.all()) {
            while (days.hasNext()) {
                String day = days.next().key;
                if (day.compareTo(oldest) < 0) {
                    old.add(day);
                }
            }
        }
        old.forEach(planned::delete);
    }
}
