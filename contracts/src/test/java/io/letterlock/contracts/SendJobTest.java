package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
                .doesNotContain("reply_to", "headers", "categories", "custom_args", "send_at", "not_before",
                        "requiretls");
    }

    @Test
    void writesRequiretlsAsTrueWhenSet() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).get("requiretls").isBoolean()).isTrue();
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).get("requiretls").booleanValue()).isTrue();
    }

    @Test
    void readsAJobOfAnOlderProducerWithoutRequiretlsAsNotAskingForIt() {
        String older = new String(Json.toBytes(Fixtures.minimalJob()));

        assertThat(older).doesNotContain("requiretls");
        assertThat(Json.fromBytes(older.getBytes(), SendJob.class).requiretls()).isFalse();
    }

    @Test
    void readsRequiretlsWrittenAsFalse() {
        String json = new String(Json.toBytes(Fixtures.minimalJob())).replaceFirst("\\{", "{\"requiretls\":false,");

        assertThat(Json.fromBytes(json.getBytes(), SendJob.class)).isEqualTo(Fixtures.minimalJob());
    }

    @Test
    void schemaRejectsRequiretlsWrittenAsAString() {
        String json = new String(Json.toBytes(Fixtures.fullJob())).replace("\"requiretls\":true", "\"requiretls\":\"true\"");

        assertThat(json).contains("\"requiretls\":\"true\"");
        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
    }

    @Test
    void carriesTlsRequiredNoWhateverTheCaseOfTheNameAndValue() {
        assertThat(withHeader("TLS-Required", "No").carriesTlsRequiredNo()).isTrue();
        assertThat(withHeader("tls-required", "no").carriesTlsRequiredNo()).isTrue();
        assertThat(withHeader("TLS-REQUIRED", " NO ").carriesTlsRequiredNo()).isTrue();
    }

    @Test
    void carriesNoTlsRequiredNoForAnyOtherValueOrHeader() {
        assertThat(withHeader("TLS-Required", "Yes").carriesTlsRequiredNo()).isFalse();
        assertThat(withHeader("TLS-Required", "No thanks").carriesTlsRequiredNo()).isFalse();
        assertThat(withHeader("X-TLS-Required", "No").carriesTlsRequiredNo()).isFalse();
        assertThat(Fixtures.minimalJob().carriesTlsRequiredNo()).isFalse();
    }

    @Test
    void tlsRequiredNoIsNotWritten() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).has("carries_tls_required_no")).isFalse();
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).has("carriesTlsRequiredNo")).isFalse();
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
        assertThat(retry.requiretls()).isTrue();
    }

    @Test
    void withNotBeforeKeepsEverythingElse() {
        SendJob job = Fixtures.fullJob();

        SendJob waiting = job.withNotBefore(Fixtures.CREATED.plusSeconds(600));

        assertThat(waiting).usingRecursiveComparison().ignoringFields("notBefore").isEqualTo(job);
        assertThat(waiting.requiretls()).isTrue();
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
                job.createdAt(), job.expiresAt(), false);
    }

    private static SendJob withHeader(String name, String value) {
        SendJob job = Fixtures.minimalJob();
        return new SendJob(job.messageId(), job.accountId(), job.jobId(), job.from(), job.to(), null, job.subject(),
                job.content(), Map.of(name, value), null, null, null, 0, null, job.createdAt(), job.expiresAt(), false);
    }
}
