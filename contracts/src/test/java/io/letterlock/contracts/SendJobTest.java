package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendJobTest {

    @Test
    void survivesARoundTripWithEveryField() {
        SendJob job = Fixtures.fullJob();

        assertThat(Json.fromBytes(Json.toBytes(job), SendJob.class)).isEqualTo(job);
    }

    @Test
    void survivesARoundTripWithOnlyRequiredFields() {
        SendJob job = Fixtures.minimalJob();

        assertThat(Json.fromBytes(Json.toBytes(job), SendJob.class)).isEqualTo(job);
    }

    @Test
    void writesJsonThatMatchesItsSchema() {
        assertThat(Schemas.validate(Schemas.SEND_JOB, Json.toBytes(Fixtures.fullJob()))).isEmpty();
        assertThat(Schemas.validate(Schemas.SEND_JOB, Json.toBytes(Fixtures.minimalJob()))).isEmpty();
    }

    @Test
    void writesOnlyFieldsItsSchemaDescribes() {
        assertThat(Schemas.propertyNames(Schemas.SEND_JOB))
                .containsAll(() -> Schemas.tree(Json.toBytes(Fixtures.fullJob())).fieldNames());
    }

    @Test
    void writesNeitherAbsentFieldsNorEmptyCollections() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.minimalJob())).fieldNames()).toIterable()
                .doesNotContain("reply_to", "headers", "categories", "custom_args", "send_at", "not_before");
    }

    @Test
    void writesInstantsAsIsoStrings() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.minimalJob())).get("created_at").textValue())
                .isEqualTo("2025-03-01T10:15:30Z");
    }

    @Test
    void ignoresFieldsFromANewerProducer() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()))
                .replaceFirst("\\{", "{\"priority\":7,\"tracking\":{\"open\":true},");

        assertThat(Json.fromBytes(json.getBytes(), SendJob.class)).isEqualTo(Fixtures.minimalJob());
    }

    @Test
    void recipientDomainIsTheLowerCasedPartAfterTheLastAt() {
        assertThat(Fixtures.fullJob().recipientDomain()).isEqualTo("mail.example");
        assertThat(withRecipient("\"a@b\"@Relay.Example").recipientDomain()).isEqualTo("relay.example");
    }

    @Test
    void recipientDomainIsAnALabelSoDomainPoliciesMatch() {
        assertThat(withRecipient("anna@Bücher.example").recipientDomain()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void recipientDomainIsNotWritten() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).has("recipient_domain")).isFalse();
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).has("recipientDomain")).isFalse();
    }

    @Test
    void refusesARecipientWithoutADomain() {
        assertThatThrownBy(() -> withRecipient("postmaster")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withRecipient("postmaster@")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failsToReadAJobWithoutARequiredField() {
        String json = new String(Json.toBytes(Fixtures.minimalJob())).replace("\"job_id\":\"job-0\",", "");

        assertThatThrownBy(() -> Json.fromBytes(json.getBytes(), SendJob.class)).hasMessageContaining("jobId");
    }

    @Test
    void nextAttemptCountsUpAndSetsWhenItIsDue() {
        Instant due = Fixtures.CREATED.plusSeconds(300);

        SendJob retry = Fixtures.minimalJob().nextAttempt(due);

        assertThat(retry.attempt()).isEqualTo(1);
        assertThat(retry.notBefore()).isEqualTo(due);
    }

    @Test
    void nextAttemptKeepsEverythingElse() {
        SendJob job = Fixtures.fullJob();

        SendJob retry = job.nextAttempt(Fixtures.CREATED.plusSeconds(300));

        assertThat(retry).usingRecursiveComparison().ignoringFields("attempt", "notBefore").isEqualTo(job);
    }

    @Test
    void schemaRejectsAJobWithoutContent() {
        String json = new String(Json.toBytes(Fixtures.minimalJob())).replaceFirst("\"content\":\\[[^]]*],", "");

        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsAnAttemptWrittenAsAString() {
        String json = new String(Json.toBytes(Fixtures.minimalJob())).replace("\"attempt\":0", "\"attempt\":\"0\"");

        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsATimeThatIsNotADateTime() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()))
                .replace("\"created_at\":\"2025-03-01T10:15:30Z\"", "\"created_at\":\"yesterday\"");

        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
    }

    private static SendJob withRecipient(String email) {
        SendJob job = Fixtures.minimalJob();
        return new SendJob(job.messageId(), job.accountId(), job.jobId(), job.from(), EmailAddress.of(email),
                null, job.subject(), List.of(MailContent.plain("Hi")), null, null, null, null, 0, null,
                job.createdAt(), job.expiresAt());
    }
}
