package io.letterlock.delivery.endtoend;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@DeliveryTest
class HealthTest {

    @Test
    void reportsReadyOverHttp() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("tls policy views"));
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
