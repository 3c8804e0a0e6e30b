package io.letterlock.policy.batches;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.MailBatch;
import io.letterlock.service.api.JsonFields;

import java.util.List;
import java.util.Optional;

/**
 * A validated body of {@code POST /v3/user/scheduled_sends} ({@code batch_id} and {@code status})
 * or of {@code PATCH /v3/user/scheduled_sends/{batch_id}} ({@code status} alone). Both fields are
 * required, as in SendGrid's API; unknown fields are refused, since a misspelt status silently
 * ignored would send a batch its sender meant to stop.
 */
record ScheduledSendRequest(Optional<String> batchId, MailBatch.Status status) {

    static final String BATCH_ID = "batch_id";
    static final String STATUS = "status";

    /** @throws io.letterlock.service.error.ApiException 400 listing every field at fault */
    static ScheduledSendRequest forPost(JsonNode body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        Optional<String> batchId = fields.text(body.get(BATCH_ID), BATCH_ID);
        if (fields.isAbsent(body.get(BATCH_ID))) {
            fields.problem(BATCH_ID, "batch_id is required");
        }
        Optional<MailBatch.Status> status = status(body, fields);
        fields.refuseUnknown(body, "", List.of(BATCH_ID, STATUS));
        fields.throwIfAny();
        return new ScheduledSendRequest(batchId, status.orElseThrow());
    }

    /** @throws io.letterlock.service.error.ApiException 400 listing every field at fault */
    static ScheduledSendRequest forPatch(JsonNode body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        Optional<MailBatch.Status> status = status(body, fields);
        fields.refuseUnknown(body, "", List.of(STATUS));
        fields.throwIfAny();
        return new ScheduledSendRequest(Optional.empty(), status.orElseThrow());
    }

    private static Optional<MailBatch.Status> status(JsonNode body, JsonFields fields) {
        JsonNode node = body.get(STATUS);
        if (fields.isAbsent(node)) {
            fields.problem(STATUS, "status is required: pause or cancel");
            return Optional.empty();
        }
        // "none" is how the topic records a resumed batch; through the API that is DELETE.
        Optional<MailBatch.Status> status = node.isTextual()
                ? MailBatch.Status.parse(node.textValue()).filter(s -> s != MailBatch.Status.NONE)
                : Optional.empty();
        if (status.isEmpty()) {
            fields.problem(STATUS, "status must be pause or cancel");
        }
        return status;
    }
}
