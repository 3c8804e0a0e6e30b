package io.letterlock.events.report.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One account's TLS report over a range of days: per recipient domain, and per day over all its
 * domains (only the days that had attempts, so a caller's range costs nothing where there is no
 * data).
 */
public record AccountReport(List<DomainRow> domains, SortedMap<LocalDate, DomainDayStats> days) {

    /** Per day: messages, delivered, delivered with a valid certificate, and its share of the messages. */
    public List<Map<String, Object>> dayViews() {
        return days.entrySet().stream().map(day -> {
            DomainDayStats stats = day.getValue();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("date", day.getKey().toString());
            view.put("messages", stats.messages());
            view.put("delivered", stats.delivered());
            view.put("valid_cert", stats.validCert());
            view.put("valid_cert_share", stats.messages() == 0 ? null
                    : BigDecimal.valueOf(stats.validCert()).divide(BigDecimal.valueOf(stats.messages()), 4,
                    RoundingMode.HALF_UP).doubleValue());
            view.put("deferred", stats.deferred());
            return view;
        }).toList();
    }
}
