package io.letterlock.events.report.store;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

/**
 * One account's TLS report over a range of days: per recipient domain, and per day over all its
 * domains (only the days that had attempts, so a caller's range costs nothing where there is no
 * data).
 */
public record AccountReport(List<DomainRow> domains, SortedMap<LocalDate, DomainDayStats> days) {

    /** One UTC day over all the account's domains. */
    public record DayRow(LocalDate date, DomainDayStats stats) {

        /** Delivered with a valid certificate / messages, 4 places; null without messages. */
        public Double validCertShare() {
            return DomainRow.share(stats.validCert(), stats.messages());
        }
    }

    /** The page of domains the request asks for, in its order. */
    public List<DomainRow> page(TlsReportRequest request) {
        return domains.stream().sorted(request.sort().order()).skip(request.offset()).limit(request.limit()).toList();
    }

    /** The days that had attempts, oldest first. */
    public List<DayRow> dayRows() {
        return days.entrySet().stream().map(day -> new DayRow(day.getKey(), day.getValue())).toList();
    }
}
