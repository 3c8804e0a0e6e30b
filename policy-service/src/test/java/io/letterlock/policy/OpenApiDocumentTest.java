package io.letterlock.policy;

import io.letterlock.testkit.openapi.OpenApiDocument;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /q/openapi} documents every policy-service endpoint with the schemas of what it takes and answers. */
@PolicyServiceTest
class OpenApiDocumentTest {

    private static OpenApiDocument document() {
        return OpenApiDocument.parse(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
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
