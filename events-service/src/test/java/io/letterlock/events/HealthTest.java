package io.letterlock.events;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@EventsServiceTest
class HealthTest {

    @Test
    void reportsReadyOverHttp() {
        // Readiness is earned after start (the settings view caught up, Kafka Streams RUNNING),
        // and on a first run with an empty Maven repository that takes a while: wait for it.
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.find { it.name == 'webhook settings view' }.status", equalTo("UP")));
    }

    @Test
    void refusesV3RequestsWithoutApiKey() {
        given().get("/v3/anything").then().statusCode(401)
                .body("errors[0].message", equalTo("authorization required"));
    }
}
