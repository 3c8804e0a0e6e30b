package io.letterlock.delivery.endtoend;

import io.letterlock.testkit.accounts.ApiKeysTestResource;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** delivery-service with its worker running, real Kafka, and the DNS-found MX hosts of {@link TlsRptWorld}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "delivery"))
@WithTestResource(ApiKeysTestResource.class)
@WithTestResource(TlsRptWorld.class)
@interface TlsRptTest {
}
