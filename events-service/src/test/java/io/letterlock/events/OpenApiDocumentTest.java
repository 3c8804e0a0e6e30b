package io.letterlock.events;

import io.letterlock.testkit.openapi.OpenApiDocument;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /q/openapi} documents every events-service endpoint with the schemas of what it takes and answers. */
@EventsServiceTest
class OpenApiDocumentTest {

    private static OpenApiDocument document() {
        return OpenApiDocument.servedOn(RestAssured.port);
    }

    @Test
    void everyEndpointIsDocumented() {
        assertThat(document().operations("/v3/")).containsExactly(
                "DELETE /v3/user/webhooks/event/settings/{id}",
                "GET /v3/messages",
                "GET /v3/messages/{msg_id}",
                "GET /v3/operator/tls-rpt/{domain}",
                "GET /v3/tls/check/{domain}",
                "GET /v3/tls/report",
                "GET /v3/user/webhooks/event/settings",
                "GET /v3/user/webhooks/event/settings/all",
                "GET /v3/user/webhooks/event/settings/signed",
                "GET /v3/user/webhooks/event/settings/signed/{id}",
                "GET /v3/user/webhooks/event/settings/standard_webhooks",
                "GET /v3/user/webhooks/event/settings/standard_webhooks/{id}",
                "GET /v3/user/webhooks/event/settings/{id}",
                "PATCH /v3/user/webhooks/event/settings",
                "PATCH /v3/user/webhooks/event/settings/signed",
                "PATCH /v3/user/webhooks/event/settings/signed/{id}",
                "PATCH /v3/user/webhooks/event/settings/standard_webhooks",
                "PATCH /v3/user/webhooks/event/settings/standard_webhooks/{id}",
                "PATCH /v3/user/webhooks/event/settings/{id}",
                "POST /v3/user/webhooks/event/settings",
                "POST /v3/user/webhooks/event/test");
    }

    @Test
    void everyEndpointDocumentsTheSchemaOfItsAnswerAndOfItsRequestBody() {
        assertThat(document().undocumented("/v3/")).as("what a client would have to guess").isEmpty();
    }
}
