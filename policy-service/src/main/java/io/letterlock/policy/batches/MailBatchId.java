package io.letterlock.policy.batches;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** SendGrid's {@code MailBatchId}: the body of {@code POST /v3/mail/batch} and of its validation. */
@Schema(name = "MailBatchId", description = "A batch id, to pass as batch_id to /v3/mail/send.")
public record MailBatchId(@JsonProperty("batch_id") String batchId) {
}
