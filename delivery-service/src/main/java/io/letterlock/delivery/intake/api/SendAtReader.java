package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** {@code send_at}: a unix timestamp in seconds, at most 72 hours ahead, as SendGrid allows. */
final class SendAtReader {

    static final Duration MAX_AHEAD = Duration.ofHours(72);

    private SendAtReader() {
    }

    static Optional<Instant> read(JsonNode node, String path, Instant now, JsonFields fields) {
        if (fields.isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            fields.problem(path, path + " must be a unix timestamp: whole seconds since 1970-01-01T00:00:00Z");
            return Optional.empty();
        }
        Instant sendAt = Instant.ofEpochSecond(Math.min(node.longValue(), Instant.MAX.getEpochSecond()));
        if (sendAt.isAfter(now.plus(MAX_AHEAD))) {
            fields.problem(path, path + " must be at most 72 hours ahead");
            return Optional.empty();
        }
        return Optional.of(sendAt);
    }
}
