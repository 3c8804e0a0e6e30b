package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
                        "requiretls", "attachments", "report_type", "batch_id", "asm_group_id", "bypass",
                        "content_ref");
    }

    @Test
    void readsAJobOfAnOlderProducerWithoutAttachmentsAsAnOrdinaryMessage() {
        String older = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8);

        SendJob job = Json.fromBytes(older.getBytes(StandardCharsets.UTF_8), SendJob.class);

        assertThat(job.attachments()).isEmpty();
        assertThat(job.reportType()).isNull();
        assertThat(job).isEqualTo(Fixtures.minimalJob());
    }

    @Test
    void producersOfOrdinaryMessagesKeepTheirConstructors() {
        SendJob job = Fixtures.minimalJob();

        SendJob sixteen = new SendJob(job.messageId(), job.accountId(), job.jobId(), job.from(), job.to(), null,
                job.subject(), job.content(), null, null, null, null, 0, null, job.createdAt(), job.expiresAt());

        assertThat(sixteen.attachments()).isEmpty();
        assertThat(sixteen.reportType()).isNull();
        assertThat(sixteen).isEqualTo(job);
    }

    @Test
    void readsNullAttachmentsAsNone() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"attachments\":null,");

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), SendJob.class).attachments()).isEmpty();
    }

    @Test
    void writesAttachmentsInSendGridsShape() {
        var attachments = Schemas.tree(Json.toBytes(Fixtures.fullJob())).get("attachments");

        assertThat(attachments.size()).isEqualTo(2);
        assertThat(attachments.get(0).get("content").textValue()).isEqualTo("eyJwb2xpY2llcyI6W119");
        assertThat(attachments.get(0).get("type").textValue()).isEqualTo("application/tlsrpt+json");
        assertThat(attachments.get(0).get("filename").textValue())
                .isEqualTo("shop.example!mail.example!1740787200!1740873599.json");
        assertThat(attachments.get(0).get("disposition").textValue()).isEqualTo("attachment");
        assertThat(attachments.get(0).has("content_id")).isFalse();
        assertThat(attachments.get(1).get("disposition").textValue()).isEqualTo("inline");
        assertThat(attachments.get(1).get("content_id").textValue()).isEqualTo("logo@shop.example");
    }

    @Test
    void writesBatchGroupAndBypassAsTheMailSendRequestNamesThem() {
        var tree = Schemas.tree(Json.toBytes(Fixtures.fullJob()));

        assertThat(tree.get("batch_id").textValue()).isEqualTo("batch-Yjk0");
        assertThat(tree.get("asm_group_id").intValue()).isEqualTo(7541);
        assertThat(tree.get("bypass").toString())
                .isEqualTo("[\"bypass_bounce_management\",\"bypass_spam_management\"]");
    }

    @Test
    void aJobWithAContentRefSurvivesARoundTripAndMatchesTheSchema() {
        SendJob job = Fixtures.referencingJob();
        byte[] json = Json.toBytes(job);

        assertThat(Json.fromBytes(json, SendJob.class)).isEqualTo(job);
        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isEmpty();
        assertThat(Schemas.tree(json).get("content").size()).isZero();
        assertThat(Schemas.tree(json).has("attachments")).isFalse();
    }

    @Test
    void aJobWithAContentRefCarriesNoContentOfItsOwn() {
        SendJob full = Fixtures.fullJob();
        ContentRef ref = Fixtures.referencingJob().contentRef();

        assertThatThrownBy(() -> new SendJob(full.messageId(), full.accountId(), full.jobId(), full.from(), full.to(),
                null, full.subject(), full.content(), null, null, null, null, 0, null, full.createdAt(),
                full.expiresAt(), false, null, null, null, null, null, ref))
                .hasMessageContaining("neither content nor attachments");
    }

    @Test
    void aJobWithoutContentNeedsAContentRef() {
        SendJob job = Fixtures.referencingJob();

        assertThatThrownBy(() -> new SendJob(job.messageId(), job.accountId(), job.jobId(), job.from(), job.to(),
                null, job.subject(), List.of(), null, null, null, null, 0, null, job.createdAt(), job.expiresAt(),
                false, null, null, null, null, null, null))
                .hasMessageContaining("at least one part");
    }

    @Test
    void withStoredContentIsTheJobAsIfTheContentHadBeenCopiedIntoIt() {
        SendJob referencing = Fixtures.referencingJob();
        SendJob full = Fixtures.fullJob();

        SendJob fetched = referencing.withStoredContent(full.content(), full.attachments());

        assertThat(fetched.contentRef()).isNull();
        assertThat(fetched.content()).isEqualTo(full.content());
        assertThat(fetched.attachments()).isEqualTo(full.attachments());
        assertThat(fetched.jobId()).isEqualTo(referencing.jobId());
    }

    @Test
    void schemaRejectsAnUnknownBypassSetting() {
        String json = new String(Json.toBytes(Fixtures.fullJob()), StandardCharsets.UTF_8).replace("bypass_spam_management", "bypass_everything");

        assertThat(json).contains("bypass_everything");
        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
        assertThatThrownBy(() -> Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), SendJob.class)).hasMessageContaining("bypass_everything");
    }

    @Test
    void writesTheReportType() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).get("report_type").textValue()).isEqualTo("tlsrpt");
    }

    @Test
    void writesOnlyAttachmentFieldsItsSchemaDescribes() {
        var described = Schemas.load(Schemas.SEND_JOB).getSchemaNode().at("/$defs/attachment/properties");
        var written = Schemas.tree(Json.toBytes(Fixtures.fullJob())).get("attachments");

        for (var attachment : written) {
            attachment.fieldNames().forEachRemaining(name -> assertThat(described.has(name)).as(name).isTrue());
        }
    }

    @Test
    void readsAReportWithItsAttachments() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8).replaceFirst("\\{",
                "{\"report_type\":\"tlsrpt\",\"attachments\":[{\"content\":\"H4sIAAAAAAAAAwMAAAAAAAAAAAA=\","
                        + "\"type\":\"application/tlsrpt+gzip\",\"filename\":\"a!b!1!2.json.gz\"}],");

        SendJob job = Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), SendJob.class);

        assertThat(job.reportType()).isEqualTo(SendJob.TLSRPT_REPORT_TYPE);
        assertThat(job.attachments()).containsExactly(new MailAttachment("H4sIAAAAAAAAAwMAAAAAAAAAAAA=",
                "application/tlsrpt+gzip", "a!b!1!2.json.gz", MailAttachment.ATTACHMENT, null));
    }

    @Test
    void failsToReadAJobWithAnAttachmentThatIsNotBase64() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8).replaceFirst("\\{",
                "{\"attachments\":[{\"content\":\"not base64!\",\"filename\":\"a.txt\"}],");

        assertThatThrownBy(() -> Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), SendJob.class)).hasMessageContaining("not base64");
    }

    @Test
    void refusesAReportTypeThatIsNotAMimeToken() {
        for (String type : List.of("", "tls rpt", "tlsrpt; x=y", "\"tlsrpt\"", "tls/rpt", "tlsrpt\r\nBcc: x", "tlsrpé")) {
            assertThatThrownBy(() -> withReportType(type)).as(type).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("report_type must be a MIME token");
        }
    }

    @Test
    void acceptsRegisteredReportTypes() {
        for (String type : List.of("tlsrpt", "delivery-status", "disposition-notification", "feedback-report")) {
            assertThat(withReportType(type).reportType()).isEqualTo(type);
        }
    }

    @Test
    void schemaAgreesWhichReportTypesAreTokens() {
        String good = new String(Json.toBytes(withReportType("delivery-status")), StandardCharsets.UTF_8);
        String bad = good.replace("\"report_type\":\"delivery-status\"", "\"report_type\":\"tls rpt\"");

        assertThat(Schemas.validate(Schemas.SEND_JOB, good)).isEmpty();
        assertThat(bad).contains("tls rpt");
        assertThat(Schemas.validate(Schemas.SEND_JOB, bad)).isNotEmpty();
    }

    @Test
    void schemaRejectsAnAttachmentWithoutAFilenameOrWithContentThatIsNotBase64() {
        String json = new String(Json.toBytes(Fixtures.fullJob()), StandardCharsets.UTF_8);
        String noName = json.replace("\"filename\":\"Logo ü.png\",", "");
        String notBase64 = json.replace("\"eyJwb2xpY2llcyI6W119\"", "\"eyJwb2xp\\r\\nY2llcyI6W119\"");

        assertThat(noName).isNotEqualTo(json);
        assertThat(notBase64).isNotEqualTo(json);
        assertThat(Schemas.validate(Schemas.SEND_JOB, noName)).isNotEmpty();
        assertThat(Schemas.validate(Schemas.SEND_JOB, notBase64)).isNotEmpty();
    }

    @Test
    void schemaRejectsADispositionOtherThanAttachmentOrInline() {
        String json = new String(Json.toBytes(Fixtures.fullJob()), StandardCharsets.UTF_8).replace("\"inline\"", "\"form-data\"");

        assertThat(json).contains("form-data");
        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
    }

    @Test
    void writesRequiretlsAsTrueWhenSet() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).get("requiretls").isBoolean()).isTrue();
        assertThat(Schemas.tree(Json.toBytes(Fixtures.fullJob())).get("requiretls").booleanValue()).isTrue();
    }

    @Test
    void readsAJobOfAnOlderProducerWithoutRequiretlsAsNotAskingForIt() {
        String older = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8);

        assertThat(older).doesNotContain("requiretls");
        assertThat(Json.fromBytes(older.getBytes(StandardCharsets.UTF_8), SendJob.class).requiretls()).isFalse();
    }

    @Test
    void readsRequiretlsWrittenAsFalse() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"requiretls\":false,");

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), SendJob.class)).isEqualTo(Fixtures.minimalJob());
    }

    @Test
    void schemaRejectsRequiretlsWrittenAsAString() {
        String json = new String(Json.toBytes(Fixtures.fullJob()), StandardCharsets.UTF_8).replace("\"requiretls\":true", "\"requiretls\":\"true\"");

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
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"priority\":7,\"tracking\":{\"open\":true},");

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), SendJob.class)).isEqualTo(Fixtures.minimalJob());
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
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8).replace("\"job_id\":\"job-0\",", "");

        assertThatThrownBy(() -> Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), SendJob.class)).hasMessageContaining("jobId");
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
        assertThat(retry.attachments()).isEqualTo(job.attachments()).isNotEmpty();
        assertThat(retry.reportType()).isEqualTo(SendJob.TLSRPT_REPORT_TYPE);
    }

    @Test
    void withNotBeforeKeepsEverythingElse() {
        SendJob job = Fixtures.fullJob();

        SendJob waiting = job.withNotBefore(Fixtures.CREATED.plusSeconds(600));

        assertThat(waiting).usingRecursiveComparison().ignoringFields("notBefore").isEqualTo(job);
        assertThat(waiting.requiretls()).isTrue();
        assertThat(waiting.attachments()).isEqualTo(job.attachments()).isNotEmpty();
        assertThat(waiting.reportType()).isEqualTo(SendJob.TLSRPT_REPORT_TYPE);
    }

    @Test
    void schemaRejectsAJobWithoutContent() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8).replaceFirst("\"content\":\\[[^]]*],", "");

        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsAnAttemptWrittenAsAString() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8).replace("\"attempt\":0", "\"attempt\":\"0\"");

        assertThat(Schemas.validate(Schemas.SEND_JOB, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsATimeThatIsNotADateTime() {
        String json = new String(Json.toBytes(Fixtures.minimalJob()), StandardCharsets.UTF_8)
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

    private static SendJob withReportType(String reportType) {
        SendJob job = Fixtures.minimalJob();
        return new SendJob(job.messageId(), job.accountId(), job.jobId(), job.from(), job.to(), null, job.subject(),
                job.content(), null, null, null, null, 0, null, job.createdAt(), job.expiresAt(), false,
                List.of(MailAttachment.of(new byte[]{1, 2, 3}, "message/delivery-status", "report.bin")), reportType);
    }
}
