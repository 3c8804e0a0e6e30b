package io.letterlock.events.report.store;

import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of {@code GET /v3/tls/report}: whole UTC days from {@code from} to {@code to}
 * (both included; dates or instants, default the last 7 days), a sort order and a page.
 */
public record TlsReportRequest(LocalDate from, LocalDate to, TlsReportSort sort, int limit, int offset) {

    public static final int DEFAULT_DAYS = 7;
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static TlsReportRequest parse(String from, String to, String sort, String limit, String offset,
                                         LocalDate today) {
        List<ApiError.Entry> errors = new ArrayList<>();
        LocalDate last = day("to", to, today, errors);
        LocalDate first = day("from", from, last == null ? today.minusDays(DEFAULT_DAYS - 1)
                : last.minusDays(DEFAULT_DAYS - 1), errors);
        if (first != null && last != null && first.isAfter(last)) {
            errors.add(new ApiError.Entry("from", "from must not be after to"));
        }
        TlsReportSort order = TlsReportSort.parse(sort == null || sort.isBlank() ? "volume" : sort.strip())
                .orElse(null);
        if (order == null) {
            errors.add(new ApiError.Entry("sort", "sort must be one of " + TlsReportSort.names()));
        }
        int pageSize = number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int skip = number("offset", offset, 0, 0, Integer.MAX_VALUE, errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return new TlsReportRequest(first, last, order, pageSize, skip);
    }

    /** The first instant of {@code from}'s day. */
    public Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The start of {@code to}'s day: the last window start the report covers. */
    public Instant lastWindowStart() {
        return to.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The days a report can cover: Kafka's windows count milliseconds from 1970, four-digit years after. */
    static final LocalDate FIRST_DAY = LocalDate.EPOCH;
    static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

    private static LocalDate day(String field, String text, LocalDate fallback, List<ApiError.Entry> errors) {
        LocalDate day = parseDay(field, text, fallback, errors);
        if (day != null && (day.isBefore(FIRST_DAY) || day.isAfter(LAST_DAY))) {
            errors.add(new ApiError.Entry(field, field + " must be a day from " + FIRST_DAY + " to " + LAST_DAY));
            return null;
        }
        return day;
    }

    private static LocalDate parseDay(String field, String text, LocalDate fallback, List<ApiError.Entry> errors) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String value = text.strip();
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException notADate) {
            try {
                return LocalDate.ofInstant(Instant.parse(value), ZoneOffset.UTC);
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return LocalDate.ofInstant(OffsetDateTime.parse(value).toInstant(), ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    errors.add(new ApiError.Entry(field, field
                            + " must be an ISO-8601 date (2026-11-01) or instant (2026-11-01T00:00:00Z)"));
                    return null;
                }
            }
        }
    }

    private static int number(String field, String text, int fallback, int min, int max, List<ApiError.Entry> errors) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below like an out-of-range number.
        }
        errors.add(new ApiError.Entry(field, max == Integer.MAX_VALUE
                ? field + " must be a whole number, " + min + " or more"
                : field + " must be a whole number from " + min + " to " + max));
        return fallback;
    }
}
