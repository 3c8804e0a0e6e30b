package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch of scheduled sends (SendGrid's {@code batch_id}) and whether its sender paused or
 * cancelled it. The value of a record on {@link Topics#MAIL_BATCHES}, keyed by
 * {@link Topics#mailBatchKey}: policy-service writes it when the batch is created and whenever its
 * status changes; delivery reads it before it sends a job that names the batch.
 *
 * @param accountId   the account that created the batch: no other account may use or see it
 * @param batchId     the id policy-service generated (unguessable, {@code [A-Za-z0-9_-]})
 * @param createdAt   when the batch was created
 * @param status      none (send as scheduled), pause or cancel
 * @param statusSetAt when the current status was set; the creation time while it was never set
 */
public record MailBatch(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("batch_id") String batchId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("status") Status status,
        @JsonProperty("status_set_at") Instant statusSetAt) {

    public MailBatch {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(createdAt, "createdAt");
        status = status == null ? Status.NONE : status;
        statusSetAt = statusSetAt == null ? createdAt : statusSetAt;
    }

    /** A batch just created: nothing paused or cancelled. */
    public static MailBatch created(String accountId, String batchId, Instant at) {
        return new MailBatch(accountId, batchId, at, Status.NONE, at);
    }

    /** The same batch with another status, set at {@code at}. */
    public MailBatch withStatus(Status newStatus, Instant at) {
        return new MailBatch(accountId, batchId, createdAt, newStatus, at);
    }

    /**
     * What the sender asked for the batch's scheduled sends. The wire names are SendGrid's
     * ({@code pause}, {@code cancel}); {@code none} is what its API shows as no scheduled send at all.
     */
    public enum Status {
        /** Send as scheduled (never paused or cancelled, or resumed). */
        NONE,
        /** Keep every message of the batch until resumed, at most until each job's lifetime ends. */
        PAUSE,
        /** Discard every message of the batch that is not yet sent. */
        CANCEL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> parse(String text) {
            for (Status status : values()) {
                if (status.wireName().equals(text)) {
                    return Optional.of(status);
                }
            }
            return Optional.empty();
        }
    }
}
