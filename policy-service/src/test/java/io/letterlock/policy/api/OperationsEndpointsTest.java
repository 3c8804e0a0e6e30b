package io.letterlock.policy.api;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@PolicyServiceTest
class OperationsEndpointsTest {

    @Test
    void readinessIncludesThePolicyViews() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("policy views"));
    }

    @Test
    void openApiDescribesTheSettingsEndpoints() {
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body(containsString("/v3/user/settings/enforced_tls"))
                .body(containsString("/v3/user/settings/enforced_tls/domains/{domain}"));
    }

    @Test
    void metricsArePublishedForPrometheus() {
        given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("letterlock_policy_view_keys"));
    }
}
