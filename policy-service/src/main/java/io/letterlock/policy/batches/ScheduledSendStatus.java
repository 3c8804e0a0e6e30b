package io.letterlock.policy.batches;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.MailBatch;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** SendGrid's {@code ScheduledSendStatus}: a batch and whether it is paused or cancelled. */
@Schema(name = "ScheduledSendStatus")
public record ScheduledSendStatus(
        @JsonProperty("batch_id") String batchId,
        @Schema(enumeration = {"pause", "cancel"}) @JsonProperty("status") String status) {

    static ScheduledSendStatus of(MailBatch batch) {
        return new ScheduledSendStatus(batch.batchId(), batch.status().wireName());
    }
}
