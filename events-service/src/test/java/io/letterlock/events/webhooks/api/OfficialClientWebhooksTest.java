package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import io.letterlock.contracts.Json;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SendGrid's official Java client (sendgrid-java), unchanged but for the host, managing several
 * Event Webhooks of one account with SendGrid's newer endpoints, as its users call them through
 * {@code SendGrid.api(Request)}.
 */
@EventsServiceTest
class OfficialClientWebhooksTest {

    private static final TestAccount ACCOUNT = TestAccounts.account(97);
    private static final String SETTINGS = "user/webhooks/event/settings";

    private static SendGrid client() {
        SendGrid sendGrid = new SendGrid(ACCOUNT.key(), true);
        sendGrid.setHost("localhost:" + RestAssured.port);
        return sendGrid;
    }

    private static Response call(Method method, String endpoint, String body) throws IOException {
        Request request = new Request();
        request.setMethod(method);
        request.setEndpoint(endpoint);
        if (body != null) {
            request.setBody(body);
        }
        return client().api(request);
    }

    private static JsonNode json(Response response) throws IOException {
        return Json.mapper().readTree(response.getBody());
    }

    @Test
    void twoWebhooksAreCreatedListedChangedSignedAndDeletedThroughTheOfficialClient() throws IOException {
        Response deliveries = call(Method.POST, SETTINGS, "{\"url\":\"https://hooks.example/deliveries\","
                + "\"enabled\":true,\"delivered\":true,\"friendly_name\":\"Deliveries\"}");
        Response bounces = call(Method.POST, SETTINGS, "{\"url\":\"https://hooks.example/bounces\","
                + "\"enabled\":true,\"bounce\":true,\"dropped\":true,\"friendly_name\":\"Bounces\"}");

        assertThat(deliveries.getStatusCode()).as(deliveries.getBody()).isEqualTo(201);
        assertThat(bounces.getStatusCode()).as(bounces.getBody()).isEqualTo(201);
        String deliveriesId = json(deliveries).get("id").textValue();
        String bouncesId = json(bounces).get("id").textValue();
        assertThat(deliveriesId).isNotEqualTo(bouncesId);

        JsonNode all = json(call(Method.GET, SETTINGS + "/all", null));
        assertThat(all.get("max_allowed").intValue()).isEqualTo(5);
        assertThat(all.get("webhooks").findValuesAsText("friendly_name")).containsExactlyInAnyOrder("Deliveries", "Bounces");

        Response changed = call(Method.PATCH, SETTINGS + "/" + bouncesId, "{\"deferred\":true}");
        assertThat(changed.getStatusCode()).as(changed.getBody()).isEqualTo(200);
        assertThat(json(changed).get("deferred").booleanValue()).isTrue();
        assertThat(json(changed).get("bounce").booleanValue()).isTrue();
        assertThat(json(call(Method.GET, SETTINGS + "/" + deliveriesId, null)).get("deferred").booleanValue()).isFalse();

        Response signed = call(Method.PATCH, SETTINGS + "/signed/" + deliveriesId, "{\"enabled\":true}");
        assertThat(signed.getStatusCode()).as(signed.getBody()).isEqualTo(200);
        assertThat(json(signed).get("public_key").textValue()).isNotBlank();
        assertThat(json(call(Method.GET, SETTINGS + "/" + bouncesId, null)).path("public_key").isTextual())
                .as("the other webhook stays unsigned").isFalse();

        Response deleted = call(Method.DELETE, SETTINGS + "/" + bouncesId, null);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertThat(json(call(Method.GET, SETTINGS + "/all", null)).get("webhooks").findValuesAsText("id"))
                .containsExactly(deliveriesId);
        Response gone = call(Method.GET, SETTINGS + "/" + bouncesId, null);
        assertThat(gone.getStatusCode()).isEqualTo(404);
        assertThat(json(gone).at("/errors/0/message").textValue()).isEqualTo("Invalid id provided.");
    }
}
