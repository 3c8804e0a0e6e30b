package io.letterlock.delivery.worker;

import io.letterlock.delivery.attempt.DeliveryAttempt;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The machinery of a delivery attempt (SMTP client and TLS contexts, resolvers, receivers' policies)
 * is built when the worker starts, not by its first job: a replica that joins under load delivers
 * as soon as it has partitions. Nothing here sends a job, and nothing asks for the bean (asking
 * would build it), so only the start can have built it.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "delivery"))
class DeliveryMachineryStartTest {

    @Test
    void isBuiltAtStartBeforeAnyJob() {
        await().atMost(Duration.ofSeconds(30)).until(() -> Arc.container().getActiveContext(Singleton.class).getState()
                .getContextualInstances().keySet().stream()
                .anyMatch(bean -> bean.getTypes().contains(DeliveryAttempt.class)));
    }
}
