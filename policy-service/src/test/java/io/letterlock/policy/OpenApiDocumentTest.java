package io.letterlock.policy;

import io.letterlock.testkit.openapi.OpenApiDocument;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /q/openapi} documents every policy-service endpoint with the schemas of what it takes and answers. */
@PolicyServiceTest
class OpenApiDocumentTest {

    private static OpenApiDocument document() {
        return OpenApiDocument.servedOn(RestAssured.port);
    }

    @Test
    void everyEndpointIsDocumented() {
        assertThat(document().operations("/v3/")).containsExactly(
                "DELETE /v3/asm/groups/{group_id}",
                "DELETE /v3/asm/groups/{group_id}/suppressions/{email}",
                "DELETE /v3/asm/suppressions/global/{email}",
                "DELETE /v3/suppression/blocks",
                "DELETE /v3/suppression/blocks/{email}",
                "DELETE /v3/suppression/bounces",
                "DELETE /v3/suppression/bounces/{email}",
                "DELETE /v3/suppression/invalid_emails",
                "DELETE /v3/suppression/invalid_emails/{email}",
                "DELETE /v3/suppression/spam_reports",
                "DELETE /v3/suppression/spam_reports/{email}",
                "DELETE /v3/user/scheduled_sends/{batch_id}",
                "DELETE /v3/user/settings/enforced_tls/domains/{domain}",
                "GET /v3/asm/groups",
                "GET /v3/asm/groups/{group_id}",
                "GET /v3/asm/groups/{group_id}/suppressions",
                "GET /v3/asm/suppressions/global/{email}",
                "GET /v3/mail/batch/{batch_id}",
                "GET /v3/suppression/blocks",
                "GET /v3/suppression/blocks/{email}",
                "GET /v3/suppression/bounces",
                "GET /v3/suppression/bounces/{email}",
                "GET /v3/suppression/invalid_emails",
                "GET /v3/suppression/invalid_emails/{email}",
                "GET /v3/suppression/spam_reports",
                "GET /v3/suppression/spam_reports/{email}",
                "GET /v3/suppression/unsubscribes",
                "GET /v3/user/scheduled_sends",
                "GET /v3/user/scheduled_sends/{batch_id}",
                "GET /v3/user/settings/enforced_tls",
                "GET /v3/user/settings/enforced_tls/domains",
                "GET /v3/user/settings/enforced_tls/domains/{domain}",
                "PATCH /v3/asm/groups/{group_id}",
                "PATCH /v3/user/scheduled_sends/{batch_id}",
                "PATCH /v3/user/settings/enforced_tls",
                "POST /v3/asm/groups",
                "POST /v3/asm/groups/{group_id}/suppressions",
                "POST /v3/asm/suppressions/global",
                "POST /v3/mail/batch",
                "POST /v3/user/scheduled_sends",
                "PUT /v3/user/settings/enforced_tls/domains/{domain}");
    }

    @Test
    void everyEndpointDocumentsTheSchemaOfItsAnswerAndOfItsRequestBody() {
        // SendGrid's POST /v3/mail/batch takes no body (tsg_mail_v3 CreateMailBatch has no requestBody).
        assertThat(document().undocumented("/v3/")).as("what a client would have to guess")
                .containsExactly("POST /v3/mail/batch request body: no application/json schema");
    }
}
