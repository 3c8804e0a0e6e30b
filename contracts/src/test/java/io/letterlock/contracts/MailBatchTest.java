package io.letterlock.contracts;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MailBatchTest {

    private static final MailBatch PAUSED = MailBatch.created("acct-1", "HkJ5yLYULb7Rj8GKSx7u025ouWVlMgAi", Fixtures.CREATED)
            .withStatus(MailBatch.Status.PAUSE, Fixtures.CREATED.plusSeconds(60));

    @Test
    void survivesARoundTrip() {
        assertThat(Json.fromBytes(Json.toBytes(PAUSED), MailBatch.class)).isEqualTo(PAUSED);
    }

    @Test
    void writesJsonThatMatchesItsSchemaForEveryStatus() {
        for (MailBatch.Status status : MailBatch.Status.values()) {
            MailBatch batch = PAUSED.withStatus(status, Fixtures.CREATED.plusSeconds(5));
            assertThat(Schemas.validate(Schemas.MAIL_BATCH, Json.toBytes(batch))).as(status.wireName()).isEmpty();
        }
    }

    @Test
    void writesOnlyFieldsItsSchemaDescribes() {
        assertThat(Schemas.propertyNames(Schemas.MAIL_BATCH))
                .containsAll(() -> Schemas.tree(Json.toBytes(PAUSED)).fieldNames());
    }

    @Test
    void writesSendGridsStatusNames() {
        assertThat(Schemas.tree(Json.toBytes(PAUSED)).get("status").textValue()).isEqualTo("pause");
        assertThat(MailBatch.Status.parse("cancel")).contains(MailBatch.Status.CANCEL);
        assertThat(MailBatch.Status.parse("Cancel")).isEmpty();
        assertThat(MailBatch.Status.parse(null)).isEmpty();
    }

    @Test
    void aNewBatchIsNeitherPausedNorCancelledAsOfItsCreation() {
        MailBatch created = MailBatch.created("acct-1", "b1", Fixtures.CREATED);

        assertThat(created.status()).isEqualTo(MailBatch.Status.NONE);
        assertThat(created.statusSetAt()).isEqualTo(Fixtures.CREATED);
    }

    @Test
    void readsARecordWithoutStatusAsNoneSetAtCreationAndIgnoresFieldsFromANewerProducer() {
        String json = """
                {"account_id":"acct-1","batch_id":"b1","created_at":"2025-03-01T10:15:30Z","label":"spring"}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), MailBatch.class))
                .isEqualTo(MailBatch.created("acct-1", "b1", Fixtures.CREATED));
    }

    @Test
    void schemaRejectsAnUnknownStatusAndABatchIdWithOtherCharacters() {
        String unknownStatus = """
                {"account_id":"acct-1","batch_id":"b1","created_at":"2025-03-01T10:15:30Z","status":"resume",
                 "status_set_at":"2025-03-01T10:15:30Z"}""";
        String slash = """
                {"account_id":"acct-1","batch_id":"other/b1","created_at":"2025-03-01T10:15:30Z","status":"none",
                 "status_set_at":"2025-03-01T10:15:30Z"}""";

        assertThat(Schemas.validate(Schemas.MAIL_BATCH, unknownStatus)).isNotEmpty();
        assertThat(Schemas.validate(Schemas.MAIL_BATCH, slash)).isNotEmpty();
    }

    @Test
    void keysPutTheAccountFirstSoThatAnAccountsBatchesShareAPrefix() {
        assertThat(Topics.mailBatchKey("acct-1", "b1")).isEqualTo("acct-1/b1");
    }
}
