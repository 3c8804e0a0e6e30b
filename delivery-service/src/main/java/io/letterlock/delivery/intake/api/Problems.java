package io.letterlock.delivery.intake.api;

import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

import java.util.ArrayList;
import java.util.List;

/**
 * Every problem found in one request, each with its SendGrid-style field path
 * ({@code personalizations.0.to.1.email}), so a client fixes them all in one round trip.
 */
final class Problems {

    /** A 30 MiB body of bad addresses must not become a 30 MiB error body. */
    static final int MAX_REPORTED = 100;

    private final List<ApiError.Entry> entries = new ArrayList<>();
    private int omitted;

    void add(String field, String message) {
        if (entries.size() < MAX_REPORTED) {
            entries.add(new ApiError.Entry(field, message));
        } else {
            omitted++;
        }
    }

    /** @throws ApiException 400 listing every problem, when there is any */
    void throwIfAny() {
        if (entries.isEmpty()) {
            return;
        }
        List<ApiError.Entry> reported = new ArrayList<>(entries);
        if (omitted > 0) {
            reported.add(new ApiError.Entry(null, omitted + " more problems were not listed"));
        }
        throw ApiException.badRequest(reported);
    }

    static String path(String parent, Object child) {
        return parent.isEmpty() ? String.valueOf(child) : parent + "." + child;
    }
}
