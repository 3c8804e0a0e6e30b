package io.letterlock.testkit.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBrokerTestResourceTest {

    @Test
    void refusesATestThatDoesNotSayWhichServiceItStarts() {
        assertThatThrownBy(() -> new KafkaBrokerTestResource().init(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no init arg \"service\"")
                .hasMessageContaining("@ResourceArg(name = \"service\", value = \"<service>\")")
                .hasMessageContaining("policy, delivery, events");
    }

    @Test
    void refusesAServiceThatDoesNotExist() {
        assertThatThrownBy(() -> new KafkaBrokerTestResource().init(Map.of("service", "billing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown service \"billing\"")
                .hasMessageContaining("policy, delivery, events");
    }

    @Test
    void refusesToStartWithoutBeingToldTheService() {
        assertThatThrownBy(() -> new KafkaBrokerTestResource().start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no init arg \"service\"");
    }

    @Test
    void takesEachServiceByItsName() {
        for (String service : new String[]{"policy", "delivery", "events"}) {
            assertThatCode(() -> new KafkaBrokerTestResource().init(Map.of("service", service)))
                    .as(service).doesNotThrowAnyException();
        }
    }
}
