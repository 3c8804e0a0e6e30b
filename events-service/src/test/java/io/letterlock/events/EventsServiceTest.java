package io.letterlock.events;

import io.letterlock.testkit.accounts.ApiKeysTestResource;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * events-service over real HTTP, on the shared in-JVM Kafka, with the test accounts' keys file and
 * one operator account ({@link OperatorAccountsTestResource}).
 * Every test class carrying it shares one running application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "events"))
@WithTestResource(ApiKeysTestResource.class)
@WithTestResource(ActivityStreamsTestResource.class)
@WithTestResource(OperatorAccountsTestResource.class)
public @interface EventsServiceTest {
}
