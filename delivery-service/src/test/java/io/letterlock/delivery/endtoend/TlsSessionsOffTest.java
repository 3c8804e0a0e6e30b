package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.accounts.ApiKeysTestResource;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.letterlock.testkit.kafka.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code letterlock.tls-rpt.record-sessions=false}, delivery writes nothing on {@code letterlock.tls-sessions}. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "delivery"))
@WithTestResource(ApiKeysTestResource.class)
@WithTestResource(value = TlsRptWorld.class, initArgs = @ResourceArg(name = "record-sessions", value = "false"))
class TlsSessionsOffTest {

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @ConfigProperty(name = "letterlock.topics.tls-sessions")
    String tlsSessions;

    @Test
    void aDeliveryOverTlsRecordsNoSessionWhenRecordingIsOff() {
        SendJob job = Mailbox.job("account-72", "rcpt@" + TlsRptWorld.VALID, "tls-rpt off");
        Mailbox.send(sendJobs, job);

        // The sessions would have been committed with this event, in one transaction.
        MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);

        assertThat(delivered.tls()).isEqualTo(1);
        assertThat(TestKafka.readAll(tlsSessions)).noneMatch(r -> TlsRptWorld.VALID.equals(r.key()));
    }
}
