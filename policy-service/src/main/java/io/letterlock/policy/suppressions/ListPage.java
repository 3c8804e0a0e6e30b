package io.letterlock.policy.suppressions;

import io.letterlock.service.api.JsonFields;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import io.letterlock.contracts.Suppression;

/**
 * The query of SendGrid's list endpoints: {@code start_time} and {@code end_time} (unix seconds,
 * both inclusive, on the entry's {@code created}), {@code limit} (1 to 500, as SendGrid allows;
 * 500 when absent) and {@code offset}. Entries come newest first, then by address, so that pages
 * stay stable while nothing is listed.
 */
record ListPage(Optional<Instant> start, Optional<Instant> end, int limit, int offset) {

    static final int MAX_LIMIT = 500;

    /** Newest first, then by address. */
    static final Comparator<Suppression> ORDER = Comparator.comparing(Suppression::created).reversed()
            .thenComparing(Suppression::email);

    /** @throws io.letterlock.service.error.ApiException 400 naming every bad parameter */
    static ListPage read(String startTime, String endTime, String limit, String offset) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.ABSENT);
        Optional<Long> start = number(startTime, "start_time", 0, Long.MAX_VALUE / 1000, fields);
        Optional<Long> end = number(endTime, "end_time", 0, Long.MAX_VALUE / 1000, fields);
        int pageSize = number(limit, "limit", 1, MAX_LIMIT, fields).orElse((long) MAX_LIMIT).intValue();
        int skip = number(offset, "offset", 0, Integer.MAX_VALUE, fields).orElse(0L).intValue();
        if (start.isPresent() && end.isPresent() && start.get() > end.get()) {
            fields.problem("end_time", "end_time must not be before start_time");
        }
        fields.throwIfAny();
        return new ListPage(start.map(Instant::ofEpochSecond), end.map(Instant::ofEpochSecond), pageSize, skip);
    }

    <T> Stream<T> apply(Stream<Suppression> entries, Function<Suppression, T> shape) {
        return entries
                .filter(s -> start.isEmpty() || s.created().getEpochSecond() >= start.get().getEpochSecond())
                .filter(s -> end.isEmpty() || s.created().getEpochSecond() <= end.get().getEpochSecond())
                .sorted(ORDER)
                .skip(offset)
                .limit(limit)
                .map(shape);
    }

    private static Optional<Long> number(String raw, String name, long min, long max, JsonFields fields) {
        if (raw == null) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fields.problem(name, name + " must be a whole number from " + min + " to " + max);
        return Optional.empty();
    }
}
