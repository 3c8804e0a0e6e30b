package io.letterlock.delivery.endtoend;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@DeliveryTest
class HealthTest {

    @Test
    void reportsReadyOverHttp() {
        // Readiness is earned after start (the policy views caught up): wait for it, a slow
        // first run may still be reading the settings topics.
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", org.hamcrest.Matchers.hasItems("tls policy views", "suppression view")));
    }

    @Test
    void openApiDescribesMailSend() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/v3/mail/send"));
    }

    @Test
    void refusesV3RequestsWithoutApiKey() {
        given().get("/v3/anything").then().statusCode(401)
                .body("errors[0].message", equalTo("authorization required"));
    }
}
