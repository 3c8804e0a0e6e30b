package io.letterlock.policy;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

@PolicyServiceTest
class OperationsEndpointsTest {

    @ConfigProperty(name = "letterlock.topics.suppressions")
    String suppressionsTopic;

    @Test
    void readinessIncludesThePolicyViews() {
        // Readiness is earned after start (the views caught up): wait for it, a slow first run
        // may still be reading the settings topics.
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                given().get("/q/health/ready").then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.name", hasItem("policy views"))
                        .body("checks.find { it.name == 'policy views' }.data", hasKey(suppressionsTopic)));
    }

    @Test
    void metricsArePublishedForPrometheus() {
        given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("letterlock_policy_view_keys"));
    }
}
