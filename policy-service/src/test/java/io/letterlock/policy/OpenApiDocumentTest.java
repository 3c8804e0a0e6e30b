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
                "DELETE /v3/user/settings/enforced_tls/domains/{domain}",
                "GET /v3/user/settings/enforced_tls",
                "GET /v3/user/settings/enforced_tls/domains",
                "GET /v3/user/settings/enforced_tls/domains/{domain}",
                "PATCH /v3/user/settings/enforced_tls",
                "PUT /v3/user/settings/enforced_tls/domains/{domain}");
    }

    @Test
    void everyEndpointDocumentsTheSchemaOfItsAnswerAndOfItsRequestBody() {
        assertThat(document().undocumented("/v3/")).as("what a client would have to guess").isEmpty();
    }
}
