package io.letterlock.delivery.retry;

import io.letterlock.service.TopicNames;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/** The retry parts as the application wires them: defaults from application.properties, probes, meters. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "delivery"))
class RetryWiringTest {

    @Inject
    RetrySchedule schedule;

    @Inject
    RetryQueue queue;

    @Inject
    TopicNames topics;

    @Test
    void scheduleStartsAtOneMinuteLessJitter() {
        Instant now = Instant.now();

        RetryDecision decision = schedule.afterDeferral(RetryJobs.firstAttempt("job-1", now), now);

        assertThat(((RetryDecision.RetryAt) decision).notBefore()).isBetween(now.plusSeconds(54), now.plusSeconds(60));
    }

    @Test
    void queueWritesToTheConfiguredRetryTopic() {
        assertThat(queue.topic()).isEqualTo(topics.sendJobsRetry());
    }

    @Test
    void livenessIncludesTheRetryScheduler() {
        given().get("/q/health/live").then()
                .statusCode(200)
                .body("checks.name", hasItem("retry scheduler"));
    }

    @Test
    void metricsCountHeldAndRepublishedJobs() {
        given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("letterlock_retry_held"))
                .body(containsString("letterlock_retry_republished_total"));
    }

    @Test
    void receiverPolicyCountersAreThereAtZeroBeforeTheFirstLookup() {
        // A dashboard's rate() and an alert on DANE tempfails need the series before the first one.
        given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("letterlock_delivery_dane_total{outcome=\"tempfail\"}"))
                .body(containsString("letterlock_delivery_mta_sts_testing_failures_total{result_type=\"starttls-not-supported\"}"));
    }
}
